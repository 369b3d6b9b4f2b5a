cat > /etc/dovecot/conf.d/99-sieve-nossl.conf <<'CONF'
protocol sieve {
  ssl = no
}
CONF
