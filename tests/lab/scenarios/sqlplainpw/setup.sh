sed -i 's/^default_pass_scheme = .*/default_pass_scheme = PLAIN/' /etc/dovecot/dovecot-sql.conf.ext
