sed -i 's/^tls_require_cert = .*/tls_require_cert = never/' /etc/dovecot/dovecot-ldap.conf.ext
