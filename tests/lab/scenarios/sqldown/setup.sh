echo '198.51.100.201 dbdown.example.com' >> /etc/hosts
sed -i 's|host=db.example.com|host=dbdown.example.com|' /etc/dovecot/dovecot-sql.conf.ext
