# The guide's 1.7 example: POP3 not required, so protocols = imap lmtp (sieve kept).
echo 'protocols = imap lmtp sieve' >> /etc/dovecot/dovecot.conf
