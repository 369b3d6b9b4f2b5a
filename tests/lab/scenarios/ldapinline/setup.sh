c=/etc/dovecot/conf.d
sed -i 's|^!include auth-ldap.conf.ext|#!include auth-ldap.conf.ext|' $c/10-auth.conf
cat $c/auth-ldap.conf.ext >> $c/10-auth.conf
