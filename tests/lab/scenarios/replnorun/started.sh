# Nothing keeps a replicator: end the one the boot's status queries started.
pkill -f '^dovecot/replicator' || true
sleep 0.2
