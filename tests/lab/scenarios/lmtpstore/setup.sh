# LMTP delivers into another mail store than IMAP and POP3 read: mail is accepted, never seen.
cat > /etc/dovecot/conf.d/99-lmtp-store.conf <<'CONF'
protocol lmtp {
  mail_location = maildir:~/Maildir
}
CONF
