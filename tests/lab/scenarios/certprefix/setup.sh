sed -i 's|^ssl_cert = <|ssl_cert = |' /etc/dovecot/conf.d/10-ssl.conf
