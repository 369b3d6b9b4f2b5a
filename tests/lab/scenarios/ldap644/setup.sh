chmod 644 /etc/dovecot/dovecot-ldap.conf.ext
