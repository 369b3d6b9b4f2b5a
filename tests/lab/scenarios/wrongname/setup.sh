# A certificate from the trusted lab CA, issued for another host's name.
key=/etc/pki/dovecot/private/$HOST_FQDN.key crt=/etc/pki/dovecot/certs/$HOST_FQDN.crt
openssl req -new -key "$key" -subj "/CN=mail.example.net" -out /tmp/other.csr 2>/dev/null
printf 'subjectAltName=DNS:mail.example.net\n' > /tmp/other.ext
openssl x509 -req -in /tmp/other.csr -CA "$LAB_CA_CERT" -CAkey "$LAB_CA_KEY" \
    -CAcreateserial -CAserial /tmp/ca.srl -days 365 -extfile /tmp/other.ext -out "$crt" 2>/dev/null
