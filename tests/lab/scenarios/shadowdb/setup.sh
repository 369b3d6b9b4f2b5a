sed -i 's|driver = pam|driver = shadow|' /etc/dovecot/conf.d/auth-system.conf.ext
