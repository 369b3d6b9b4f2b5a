# The files live in a directory of their own and are linked into the paths dovecot.conf
# names; the key is read-only for root, stricter than the guide's 600. (The directory is
# 755 like /etc/pki/dovecot/certs: the audit account reads the certificate, which is public,
# without sudo; a closed one makes TLS-CERT-KEY-PATHS an error, not a pass.)
install -d -m 755 /etc/dovecot-tls
for f in "private/$HOST_FQDN.key" "certs/$HOST_FQDN.crt"; do
  mv "/etc/pki/dovecot/$f" /etc/dovecot-tls/
  ln -s "/etc/dovecot-tls/${f#*/}" "/etc/pki/dovecot/$f"
done
chmod 400 "/etc/dovecot-tls/$HOST_FQDN.key"
test -L "/etc/pki/dovecot/private/$HOST_FQDN.key"
