# Dovecot's LDAP client trusts another CA than the one that issued the directory's certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Some Other CA" \
    -keyout /dev/null -out /etc/dovecot/other-ca.pem 2>/dev/null
echo 'tls_ca_cert_file = /etc/dovecot/other-ca.pem' >> /etc/dovecot/dovecot-ldap.conf.ext
