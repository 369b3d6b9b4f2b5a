c=/etc/dovecot/conf.d
sed -i 's|^!include auth-sql.conf.ext|#!include auth-sql.conf.ext|' $c/10-auth.conf
cat $c/auth-sql.conf.ext >> $c/10-auth.conf
