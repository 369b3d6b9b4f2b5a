# The private key readable by everyone.
chmod 644 "/etc/pki/dovecot/private/$HOST_FQDN.key"
