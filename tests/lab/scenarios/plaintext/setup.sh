# disable_plaintext_auth = no: Dovecot accepts credentials on connections without TLS.
sed -i 's/^#disable_plaintext_auth = yes/disable_plaintext_auth = no/' /etc/dovecot/conf.d/10-auth.conf
grep -q '^disable_plaintext_auth = no' /etc/dovecot/conf.d/10-auth.conf
