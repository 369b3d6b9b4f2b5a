# A self-signed certificate with the right name: no client trusts it.
key=/etc/pki/dovecot/private/$HOST_FQDN.key crt=/etc/pki/dovecot/certs/$HOST_FQDN.crt
openssl req -x509 -new -key "$key" -subj "/CN=$HOST_FQDN" -addext "subjectAltName=DNS:$HOST_FQDN" \
    -days 365 -out "$crt" 2>/dev/null
