# A 10-replication.conf as the guide creates it (its first and last lines here),
# left world-readable: it holds doveadm_password.
cat > /etc/dovecot/conf.d/10-replication.conf <<'CONF'
replication_max_conns = 20
CONF
chmod 644 /etc/dovecot/conf.d/10-replication.conf
