# Profile "sql", once Dovecot runs: the database host boots beside this one, and Dovecot's
# first queries may reach it before its users exist. Each failed connection makes Dovecot's
# mysql driver wait longer before it tries again (1, 5, then 25 s), and an audit that starts
# in that wait finds replication's user lookups failing (a full run met it once). So wait
# until the database answers as Dovecot's user would and, if it did not at once, reload
# Dovecot (new auth processes, no back-off). Bounded: a database that never answers only
# costs the bound.
set +x  # the database password stays out of the boot log (and sourcing would trace its assignments)
. "$seed/backend.env"
waited=0
deadline=$(($(date +%s) + 20))
until MYSQL_PWD="$DB_DOVECOT_PASS" mariadb -h db.example.com -u dovecot \
        --ssl-ca=/etc/pki/tls/certs/ca.crt --connect-timeout=2 \
        -e 'SELECT 1 FROM dovecotDB.users LIMIT 1' >/dev/null 2>&1; do
    waited=$((waited + 1))
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 0.25
done
set -x
[ "$waited" -eq 0 ] || doveadm reload || true
echo "sql: database answered after $waited retries"
