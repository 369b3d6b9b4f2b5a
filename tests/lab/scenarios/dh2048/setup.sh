openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out /etc/dovecot/dh.pem
