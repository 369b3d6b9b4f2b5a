sed -i "s/^password_query = .*/password_query = SELECT username AS user, password AS secret FROM users WHERE username='%u';/" /etc/dovecot/dovecot-sql.conf.ext
