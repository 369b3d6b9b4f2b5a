# Profile "ldaptpl": the ldap profile with the guide's other DN variant, the template
# auth_bind_userdn = cn=%n,ou=People,dc=example,dc=com (all users under one entry).
LDAP_DN_MODE=template
. "$LAB_PROFILES/ldap/setup.sh"
