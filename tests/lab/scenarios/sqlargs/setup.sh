cp -p /etc/dovecot/dovecot-sql.conf.ext /etc/dovecot/dovecot-sql-userdb.conf.ext
sed -i '/^userdb {/,/^}/ s|^  args = /etc/dovecot/dovecot-sql.conf.ext|  args = /etc/dovecot/dovecot-sql-userdb.conf.ext|' /etc/dovecot/conf.d/auth-sql.conf.ext
