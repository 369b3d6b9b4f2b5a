sed -i 's/^pass_filter = .*/pass_filter = (objectClass=posixAccount)/' /etc/dovecot/dovecot-ldap.conf.ext
