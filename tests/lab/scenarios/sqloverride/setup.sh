sed -i '/^  override_fields = /d' /etc/dovecot/conf.d/auth-sql.conf.ext
