set +x
sed -i "s/ user=dovecot password=[^ ]*/ user=dovecotrw password=$DB_RW_PASS/" /etc/dovecot/dovecot-sql.conf.ext
set -x
