# The certificate renewed on disk (same key, same CA, same name), Dovecot not reloaded.
key=/etc/pki/dovecot/private/$HOST_FQDN.key crt=/etc/pki/dovecot/certs/$HOST_FQDN.crt
openssl req -new -key "$key" -subj "/CN=$HOST_FQDN" -out /tmp/renew.csr 2>/dev/null
printf 'subjectAltName=DNS:%s\n' "$HOST_FQDN" > /tmp/renew.ext
openssl x509 -req -in /tmp/renew.csr -CA "$LAB_CA_CERT" -CAkey "$LAB_CA_KEY" -days 90 \
    -CAcreateserial -CAserial /tmp/ca.srl -extfile /tmp/renew.ext -out "$crt" 2>/dev/null
