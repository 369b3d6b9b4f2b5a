# Nothing keeps a replicator: end the one the boot's status queries started, once it is
# idle (every user synced, nothing queued), with TERM so that it saves its state first.
# Until then, force a full resync every 2 s: a first sync that failed at boot is otherwise
# retried only minutes later, and its failure would be saved with the state (up to 60 s).
# Idle includes no dsync running: a sync in progress has left the queue, and ending the
# replicator under it saves that user as failed (REPL-STATUS then reads "1 failed").
i=0
until doveadm replicator status '*' 2>/dev/null | awk '
        NR > 1 && ($5 == "-" || $6 != "-") { bad = 1 } END { exit bad }' \
    && doveadm replicator dsync-status 2>/dev/null | awk '
        NR > 1 && /^[^ ]/ { busy = 1 } END { exit busy }' \
    && doveadm replicator status 2>/dev/null | awk '
        /^Queued .(sync|high|low|failed). requests/ || /^Waiting .failed. requests/ { n += $NF }
        END { exit n != 0 }'; do
    i=$((i + 1)); [ "$i" -lt 240 ] || { echo "replnorun: replication never settled"; break; }
    [ $((i % 8)) -ne 1 ] || doveadm replicator replicate -f '*' >/dev/null 2>&1 || true
    sleep 0.25
done
pkill -TERM -f '^dovecot/replicator' || true
sleep 0.5
