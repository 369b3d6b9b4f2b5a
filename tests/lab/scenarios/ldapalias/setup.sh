echo '198.51.100.201 ldapalias.example.com' >> /etc/hosts
sed -i 's|^uris = .*|uris = ldaps://ldapalias.example.com|' /etc/dovecot/dovecot-ldap.conf.ext
