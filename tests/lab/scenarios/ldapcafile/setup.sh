echo 'tls_ca_cert_file = /etc/ssl/certs/ISRG_Root_X1.pem' >> /etc/dovecot/dovecot-ldap.conf.ext
