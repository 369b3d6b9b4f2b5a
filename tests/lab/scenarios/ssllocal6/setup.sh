# Right globally, wrong for one address: only the effective configuration shows it (the
# audit of this host goes over IPv4, where TLS still works).
printf 'local %s {\n  ssl = no\n}\n' "$HOST_IPV6" >> /etc/dovecot/dovecot.conf
