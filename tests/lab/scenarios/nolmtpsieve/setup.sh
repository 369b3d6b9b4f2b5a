# Pigeonhole installed and ManageSieve working, but LMTP does not load the sieve plugin:
# scripts upload and activate, and never run.
cat > /etc/dovecot/conf.d/99-lmtp-nosieve.conf <<'CONF'
protocol lmtp {
  mail_plugins =
}
CONF
