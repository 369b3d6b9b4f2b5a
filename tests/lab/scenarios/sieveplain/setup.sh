cat > /etc/dovecot/conf.d/99-sieve-plaintext.conf <<'CONF'
protocol sieve {
  disable_plaintext_auth = no
}
CONF
