# ldaps:// aimed at the plain LDAP port: nothing there answers a TLS handshake.
sed -i 's|^uris = .*|uris = ldaps://ldap.example.com:389|' /etc/dovecot/dovecot-ldap.conf.ext
