sed -i -e 's/^base = .*/base = ou=Nobody,dc=example,dc=com/' -e '/^scope = /d' /etc/dovecot/dovecot-ldap.conf.ext
