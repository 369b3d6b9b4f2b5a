# Profile "ldap": section 1.1's TLS, virtual users and LMTP (the pam profile), then section
# 1.2.4 step by step: auth-ldap instead of auth-system, the userdb's override_fields, and
# dovecot-ldap.conf.ext (dynamic DN lookup with the search account; LDAP_DN_MODE=template
# gives the guide's other variant, auth_bind_userdn) root:root 600. The LDAP server's CA is
# in the system trust store, as the prerequisite asks.
. "$LAB_PROFILES/pam/setup.sh"
set +x  # sourcing traces each assignment: the backend's secrets stay out of the boot log
. "$seed/backend.env"
set -x
# The lab only: no 2-second delay after a failed login (auth_failure_delay; not a setting of
# the guide), since many fail scenarios refuse every login.
echo "auth_failure_delay = 0" >> "$conf/10-auth.conf"
# the accounts live in the directory now, not in /etc/passwd
while read -r user uid password; do userdel "$user"; done < "$seed/accounts"
install -m 644 "$seed/pki/ca.crt" /usr/local/share/ca-certificates/dovecheck-lab-ca.crt
cat "$seed/pki/ca.crt" >> /etc/ssl/certs/ca-certificates.crt
sed -i -e 's|^!include auth-system.conf.ext|#!include auth-system.conf.ext|' \
       -e 's|^#!include auth-ldap.conf.ext|!include auth-ldap.conf.ext|' "$conf/10-auth.conf"
sed -i '/^userdb {/,/^}/ s|^  args = /etc/dovecot/dovecot-ldap.conf.ext|&\n  override_fields = uid=vmail gid=vmail home=/var/mail/%n/|' \
    "$conf/auth-ldap.conf.ext"
set +x  # dnpass stays out of the boot log
if [ "${LDAP_DN_MODE:-lookup}" = template ]; then
    dnmode="auth_bind_userdn = cn=%n,ou=People,dc=example,dc=com"
else
    dnmode="pass_filter = (&(objectClass=posixAccount)(uid=%n))"
fi
cat > /etc/dovecot/dovecot-ldap.conf.ext <<CONF
dn = cn=dovecot_LDAP,dc=example,dc=com
dnpass = $LDAP_DNPASS
$dnmode
auth_bind = yes
uris = ldaps://ldap.example.com
tls_require_cert = hard
base = ou=People,dc=example,dc=com
scope = onelevel
user_filter = (&(objectClass=posixAccount)(uid=%n))
iterate_attrs = uid=user
iterate_filter = (objectClass=posixAccount)
CONF
set -x
chown root:root /etc/dovecot/dovecot-ldap.conf.ext
chmod 600 /etc/dovecot/dovecot-ldap.conf.ext
