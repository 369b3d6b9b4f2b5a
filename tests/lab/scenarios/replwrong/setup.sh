sed -i "s|mail_replica = .*|mail_replica = tcp:server2.example.com:12345|" \
    /etc/dovecot/conf.d/10-replication.conf
