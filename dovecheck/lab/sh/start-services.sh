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
