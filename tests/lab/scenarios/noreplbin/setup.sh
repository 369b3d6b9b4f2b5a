rm -f /usr/lib/dovecot/replicator /usr/lib/dovecot/modules/lib20_replication_plugin.so
