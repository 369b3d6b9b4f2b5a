sed -i 's|^ssl_dh = <|ssl_dh = |' /etc/dovecot/conf.d/10-ssl.conf
