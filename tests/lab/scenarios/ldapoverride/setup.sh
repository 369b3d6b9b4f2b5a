sed -i '/^  override_fields = /d' /etc/dovecot/conf.d/auth-ldap.conf.ext
