sed -i 's/^auth_bind_userdn = .*/auth_bind_userdn = cn=%n,ou=Staff,dc=example,dc=com/' /etc/dovecot/dovecot-ldap.conf.ext
