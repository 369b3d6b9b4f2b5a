sed -i 's|^ssl_ca = <|ssl_ca = |' /etc/dovecot/conf.d/10-ssl.conf
grep -q '^ssl_ca = /' /etc/dovecot/conf.d/10-ssl.conf
