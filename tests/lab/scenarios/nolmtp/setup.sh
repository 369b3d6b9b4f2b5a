# LMTP dropped from protocols: the SMTP server can no longer deliver (the guide's 1.6 step 1).
echo 'protocols = imap pop3 sieve' >> /etc/dovecot/dovecot.conf
