# A cipher list "tuned" by hand: strong suites first, and aNULL and eNULL let in by
# SECLEVEL=0 (OpenSSL's default level keeps them out whatever the list says).
cat > /etc/dovecot/conf.d/99-ciphers.conf <<'CONF'
ssl_cipher_list = ECDHE+AESGCM:DHE+AESGCM:aNULL:eNULL:!kRSA:@SECLEVEL=0
CONF
