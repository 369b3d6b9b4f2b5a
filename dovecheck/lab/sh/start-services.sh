# Sourced by init.sh: start sshd and Dovecot as daemons, and wait until both listen.
/usr/sbin/sshd
if [ -x /usr/sbin/dovecot ] && [ -f /etc/dovecot/dovecot.conf ] && [ "${START_DOVECOT:-yes}" = yes ]; then
    /usr/sbin/dovecot
fi
i=0
until ss -Hltn 'sport = :22' | grep -q . ; do
    i=$((i + 1)); [ "$i" -lt 100 ] || { echo "sshd did not listen"; exit 1; }
    sleep 0.05
done
if [ -f /run/dovecot/master.pid ] || [ "${START_DOVECOT:-yes}" = yes ]; then
    i=0
    until doveadm service status >/dev/null 2>&1; do
        i=$((i + 1)); [ "$i" -lt 100 ] || { echo "dovecot did not start"; exit 1; }
        sleep 0.05
    done
fi
