# Profile "ldapsrv": the guide's LDAP server (1.2.4 prerequisites). slapd serves ldaps://
# (and STARTTLS on ldap://) with a lab-CA certificate for this host's name; the users live
# under ou=People,dc=example,dc=com; cn=dovecot_LDAP,dc=example,dc=com is Dovecot's search
# account, the only identity that may read the user entries (anonymous may only bind).
set +x  # sourcing traces each assignment: the backend's secrets stay out of the boot log
. "$seed/backend.env"
set -x
tls=/etc/ldap/tls
install -d -m 755 "$tls"
install -m 644 "$seed/pki/server.crt" "$tls/server.crt"
install -m 644 "$seed/pki/ca.crt" "$tls/ca.crt"
install -m 600 "$seed/pki/server.key" "$tls/server.key"
rm -rf /etc/ldap/slapd.d /var/lib/ldap
install -d -m 700 /var/lib/ldap
install -d -m 755 /run/slapd
ssha() { printf '%s' "$1" > /run/slapd/pw; slappasswd -h '{SSHA}' -T /run/slapd/pw; rm -f /run/slapd/pw; }
set +x  # the passwords below stay out of the boot log
cat > /etc/ldap/slapd.conf <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile /run/slapd/slapd.pid
TLSCertificateFile $tls/server.crt
TLSCertificateKeyFile $tls/server.key
TLSCACertificateFile $tls/ca.crt
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw $(ssha "$LDAP_ADMINPASS")
directory /var/lib/ldap
access to attrs=userPassword
    by anonymous auth
    by self read
    by * none
access to dn.subtree="ou=People,dc=example,dc=com"
    by dn.exact="cn=dovecot_LDAP,dc=example,dc=com" read
    by self read
    by * none
access to *
    by dn.exact="cn=dovecot_LDAP,dc=example,dc=com" read
    by * auth
CONF
chmod 600 /etc/ldap/slapd.conf
{
    printf 'dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: example\n\n'
    printf 'dn: ou=People,dc=example,dc=com\nobjectClass: organizationalUnit\nou: People\n\n'
    printf 'dn: cn=dovecot_LDAP,dc=example,dc=com\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: dovecot_LDAP\nuserPassword: %s\n\n' "$(ssha "$LDAP_DNPASS")"
    while read -r user uid password; do
        printf 'dn: cn=%s,ou=People,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\ncn: %s\nsn: %s\nuid: %s\nuidNumber: %s\ngidNumber: %s\nhomeDirectory: /var/mail/%s\nuserPassword: %s\n\n' \
            "$user" "$user" "$user" "$user" "$uid" "$uid" "$user" "$(ssha "$password")"
    done < "$seed/accounts"
} | slapadd -q -f /etc/ldap/slapd.conf
set -x
