sed -i 's|^first_valid_uid = .*|first_valid_uid = 500|' /etc/dovecot/conf.d/10-mail.conf
