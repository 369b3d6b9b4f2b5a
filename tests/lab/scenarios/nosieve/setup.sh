dpkg --purge --force-depends dovecot-managesieved dovecot-sieve >/dev/null 2>&1
