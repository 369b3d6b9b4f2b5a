dpkg --purge --force-depends dovecot-mysql >/dev/null 2>&1
