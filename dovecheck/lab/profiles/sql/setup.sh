# Profile "sql": section 1.1's TLS, virtual users and LMTP (the pam profile), then section
# 1.3.4 step by step: dovecot-mysql, auth-sql instead of auth-system, the userdb's
# override_fields, and dovecot-sql.conf.ext root:root 600 with TLS to the database (the CA
# in /etc/pki/tls/certs/ca.crt).
. "$LAB_PROFILES/pam/setup.sh"
set +x  # sourcing traces each assignment: the backend's secrets stay out of the boot log
. "$seed/backend.env"
set -x
# The lab only: no 2-second delay after a failed login (auth_failure_delay; not a setting of
# the guide), since many fail scenarios refuse every login.
echo "auth_failure_delay = 0" >> "$conf/10-auth.conf"
while read -r user uid password; do userdel "$user"; done < "$seed/accounts"
install -d -m 755 /etc/pki/tls/certs
install -m 644 "$seed/pki/ca.crt" /etc/pki/tls/certs/ca.crt
sed -i -e 's|^!include auth-system.conf.ext|#!include auth-system.conf.ext|' \
       -e 's|^#!include auth-sql.conf.ext|!include auth-sql.conf.ext|' "$conf/10-auth.conf"
sed -i '/^userdb {/,/^}/ s|^  args = /etc/dovecot/dovecot-sql.conf.ext|&\n  override_fields = uid=vmail gid=vmail home=/var/mail/%n/|' \
    "$conf/auth-sql.conf.ext"
set +x  # the database password stays out of the boot log
cat > /etc/dovecot/dovecot-sql.conf.ext <<CONF
driver = mysql
connect = host=db.example.com dbname=dovecotDB user=dovecot password=$DB_DOVECOT_PASS ssl_ca=/etc/pki/tls/certs/ca.crt
default_pass_scheme = SHA512-CRYPT
user_query = SELECT username FROM users WHERE username='%u';
password_query = SELECT username AS user, password FROM users WHERE username='%u';
iterate_query = SELECT username FROM users;
CONF
set -x
chown root:root /etc/dovecot/dovecot-sql.conf.ext
chmod 600 /etc/dovecot/dovecot-sql.conf.ext
