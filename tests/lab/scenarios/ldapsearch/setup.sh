set +x
pw=$(awk '$1 == "dctest2" {print $3}' "$seed/accounts")
sed -i -e 's/^dn = .*/dn = cn=dctest2,ou=People,dc=example,dc=com/' -e "s/^dnpass = .*/dnpass = $pw/" /etc/dovecot/dovecot-ldap.conf.ext
set -x
