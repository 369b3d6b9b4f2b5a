# Mode 600 as the guide says, but owned by the dovecot user instead of root.
chown dovecot:dovecot "/etc/pki/dovecot/private/$HOST_FQDN.key"
