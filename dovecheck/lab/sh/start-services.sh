# Sourced by init.sh: start sshd, and Dovecot on a Dovecot server where it is installed,
# and wait until they answer. A host without Dovecot (an overlay removed it) still gets sshd.
# The LDAP host runs slapd (ldap:// with STARTTLS, and ldaps://), the database host MariaDB.
/usr/sbin/sshd -E /var/log/sshd.log  # its own log: the lab has no syslog
wait_port() {  # wait_port PORT WHAT
    i=0
    until ss -Hltn "sport = :$1" | grep -q . ; do
        i=$((i + 1)); [ "$i" -lt 300 ] || { echo "$2 did not listen on $1"; exit 1; }
        sleep 0.05
    done
}
if [ "$HOST_ROLE" = ldap ]; then
    /usr/sbin/slapd -h "ldap:/// ldaps:///" -f /etc/ldap/slapd.conf
    wait_port 636 slapd
fi
if [ "$HOST_ROLE" = db ]; then
    /usr/sbin/mariadbd --user=mysql >/run/mysqld/mariadbd.log 2>&1 &
    wait_port 3306 mariadbd
fi
# A server on a central backend starts once the backend answers, as a real one does (the
# guide's prerequisite: the MariaDB or LDAP server is running). Booted together, Dovecot
# could ask first; a replicator whose first user listing met no database stayed stuck.
# Bounded: a scenario whose backend is down on purpose costs 10 s.
backend_answers() {
    sql=/etc/dovecot/dovecot-sql.conf.ext; ldap=/etc/dovecot/dovecot-ldap.conf.ext
    if [ -f "$sql" ]; then
        h=$(sed -n 's/^connect *=.*host=\([^ ]*\).*/\1/p' "$sql" | head -n 1)
        [ -z "$h" ] || mysqladmin --connect-timeout=1 -h "$h" ping >/dev/null 2>&1 || return 1
    fi
    if [ -f "$ldap" ]; then
        u=$(sed -n 's/^uris *= *\([^ ]*\).*/\1/p' "$ldap" | head -n 1)
        [ -z "$u" ] || ldapsearch -x -H "$u" -o nettimeout=1 -s base -b "" >/dev/null 2>&1 \
            || [ $? -ne 255 ] || return 1  # 255: cannot contact the server
    fi
    return 0
}
if [ "$HOST_ROLE" = dovecot ]; then
    i=0
    until backend_answers; do
        i=$((i + 1)); [ "$i" -lt 20 ] || { echo "backend not answering; starting anyway"; break; }
        sleep 0.5
    done
fi
dovecot_started=no
if [ "$HOST_ROLE" = dovecot ] && [ -x /usr/sbin/dovecot ] && [ -f /etc/dovecot/dovecot.conf ]; then
    /usr/sbin/dovecot
    dovecot_started=yes
fi
i=0
until ss -Hltn 'sport = :22' | grep -q . ; do
    i=$((i + 1)); [ "$i" -lt 100 ] || { echo "sshd did not listen"; exit 1; }
    sleep 0.05
done
if [ "$dovecot_started" = yes ]; then
    i=0
    until doveadm service status >/dev/null 2>&1; do
        i=$((i + 1)); [ "$i" -lt 100 ] || { echo "dovecot did not start"; exit 1; }
        sleep 0.05
    done
fi
