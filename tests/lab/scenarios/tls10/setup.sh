# The positive control of the legacy-TLS probe: a server that does accept TLS 1.0 and 1.1.
cat > /etc/dovecot/conf.d/99-legacy-tls.conf <<'CONF'
ssl_min_protocol = TLSv1
ssl_cipher_list = ALL:!kRSA:@SECLEVEL=0
CONF
