# The right name from the trusted CA, but a week from expiry: renewal forgotten.
key=/etc/pki/dovecot/private/$HOST_FQDN.key crt=/etc/pki/dovecot/certs/$HOST_FQDN.crt
openssl req -new -key "$key" -subj "/CN=$HOST_FQDN" -out /tmp/soon.csr 2>/dev/null
printf 'subjectAltName=DNS:%s\n' "$HOST_FQDN" > /tmp/soon.ext
openssl x509 -req -in /tmp/soon.csr -CA "$LAB_CA_CERT" -CAkey "$LAB_CA_KEY" \
    -CAcreateserial -CAserial /tmp/ca.srl -days 7 -extfile /tmp/soon.ext -out "$crt" 2>/dev/null
