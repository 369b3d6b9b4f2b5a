cat > /etc/dovecot/conf.d/99-lmtp-nossl.conf <<'CONF'
protocol lmtp {
  ssl = no
}
CONF
