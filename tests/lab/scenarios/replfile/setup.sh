mv /etc/dovecot/conf.d/10-replication.conf /etc/dovecot/conf.d/90-replica.conf
