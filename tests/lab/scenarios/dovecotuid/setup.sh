sed -i 's|uid=vmail gid=vmail|uid=dovecot gid=dovecot|' /etc/dovecot/conf.d/auth-system.conf.ext
