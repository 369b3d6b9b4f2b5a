chmod 644 /etc/dovecot/dovecot-sql.conf.ext
