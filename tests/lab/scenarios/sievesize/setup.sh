# A script size limit too small for any real filter.
cat > /etc/dovecot/conf.d/99-sieve-size.conf <<'CONF'
plugin {
  sieve_max_script_size = 16
}
CONF
