sed -i "s/^password_query = .*/password_query = SELECT username AS user, NULL AS password, 'Y' AS nopassword FROM users WHERE username='%u';/" /etc/dovecot/dovecot-sql.conf.ext
