sed -i 's|^uris = .*|uris = ldap://ldap.example.com|' /etc/dovecot/dovecot-ldap.conf.ext
