sed -i 's| ssl_ca=[^ ]*||' /etc/dovecot/dovecot-sql.conf.ext
