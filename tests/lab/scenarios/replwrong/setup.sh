# A wrong host that is not part of another pair: a scenario must not disturb the reference.
sed -i "s|mail_replica = .*|mail_replica = tcp:mta.example.com:12345|" \
    /etc/dovecot/conf.d/10-replication.conf
