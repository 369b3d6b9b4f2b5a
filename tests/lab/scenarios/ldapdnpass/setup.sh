sed -i 's/^dnpass = .*/dnpass = not-the-password/' /etc/dovecot/dovecot-ldap.conf.ext
