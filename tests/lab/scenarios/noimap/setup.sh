# The protocols line replaces what Debian's protocols.d adds: Sieve and LMTP stay, IMAP goes.
sed -i 's/^#\?protocols = .*/protocols = pop3 lmtp sieve/' /etc/dovecot/dovecot.conf
grep -q '^protocols = pop3 lmtp sieve' /etc/dovecot/dovecot.conf || echo 'protocols = pop3 lmtp sieve' >> /etc/dovecot/dovecot.conf
