sed -i 's/dbname=dovecotDB/dbname=mailDB/' /etc/dovecot/dovecot-sql.conf.ext
