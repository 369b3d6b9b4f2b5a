cp /etc/pki/tls/certs/ca.crt /etc/pki/tls/certs/db-ca.crt
sed -i 's|ssl_ca=/etc/pki/tls/certs/ca.crt|ssl_ca=/etc/pki/tls/certs/db-ca.crt|' /etc/dovecot/dovecot-sql.conf.ext
