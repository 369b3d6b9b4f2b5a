echo '198.51.100.203 dbdown.example.com' >> /etc/hosts
sed -i 's|host=db.example.com|host=dbdown.example.com|' /etc/dovecot/dovecot-sql.conf.ext
