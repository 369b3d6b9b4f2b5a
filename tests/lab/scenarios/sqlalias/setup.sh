echo '198.51.100.202 dbalias.example.com' >> /etc/hosts
sed -i 's|host=db.example.com|host=dbalias.example.com|' /etc/dovecot/dovecot-sql.conf.ext
