sed -i 's/^driver = .*/driver = pgsql/' /etc/dovecot/dovecot-sql.conf.ext
