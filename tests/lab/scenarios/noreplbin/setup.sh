# The replicator and aggregator services stay (Dovecot refuses to start without a
# service's binary); the plug-in that feeds them is gone.
rm -f /usr/lib/dovecot/modules/lib20_replication_plugin.so
