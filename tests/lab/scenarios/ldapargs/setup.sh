cp -p /etc/dovecot/dovecot-ldap.conf.ext /etc/dovecot/dovecot-ldap-userdb.conf.ext
sed -i '/^userdb {/,/^}/ s|^  args = /etc/dovecot/dovecot-ldap.conf.ext|  args = /etc/dovecot/dovecot-ldap-userdb.conf.ext|' /etc/dovecot/conf.d/auth-ldap.conf.ext
