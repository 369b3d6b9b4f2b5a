echo '198.51.100.202 ldapdown.example.com' >> /etc/hosts
sed -i 's|^uris = .*|uris = ldaps://ldapdown.example.com|' /etc/dovecot/dovecot-ldap.conf.ext
