sed -i "s|^doveadm_password = .*|doveadm_password = $(head -c 18 /dev/urandom | base64)|" \
    /etc/dovecot/conf.d/10-replication.conf
