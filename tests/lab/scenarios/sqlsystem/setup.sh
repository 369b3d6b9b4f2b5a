sed -i 's|^#!include auth-system.conf.ext|!include auth-system.conf.ext|' /etc/dovecot/conf.d/10-auth.conf
