sed -i '/process_min_avail = 1/d' /etc/dovecot/conf.d/10-replication.conf
