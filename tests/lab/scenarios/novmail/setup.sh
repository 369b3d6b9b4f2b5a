usermod --login mailstore vmail
groupmod --new-name mailstore vmail
sed -i 's|uid=vmail gid=vmail|uid=mailstore gid=mailstore|' /etc/dovecot/conf.d/auth-system.conf.ext
