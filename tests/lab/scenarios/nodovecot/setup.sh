dpkg --purge --force-depends dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd \
    dovecot-managesieved dovecot-sieve >/dev/null 2>&1
