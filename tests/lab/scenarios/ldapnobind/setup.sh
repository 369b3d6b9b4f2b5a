sed -i 's/^auth_bind = .*/auth_bind = no/' /etc/dovecot/dovecot-ldap.conf.ext
