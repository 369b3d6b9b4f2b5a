# Nothing keeps a replicator: end the one the boot's status queries started, once it is
# idle (every user synced, nothing queued), with TERM so that it saves its state first.
i=0
until doveadm replicator status '*' 2>/dev/null | awk '
        NR > 1 && ($5 == "-" || $6 != "-") { bad = 1 } END { exit bad }' \
    && doveadm replicator status 2>/dev/null | awk '
        /^Queued .(sync|high|low|failed). requests/ || /^Waiting .failed. requests/ { n += $NF }
        END { exit n != 0 }'; do
    i=$((i + 1)); [ "$i" -lt 40 ] || break
    sleep 0.25
done
pkill -TERM -f '^dovecot/replicator' || true
sleep 0.5
