# Profile "pair", once every host's services run: both partners boot at once, and a
# first full sync towards a partner still provisioning fails (the replicator retries a
# failed user only minutes later). So first wait for the partner's services (`lab up`
# relays them as /run/lab-partner-up), then settle: resync until every user has synced
# once, and nothing failed, is queued or is running (a running sync has left the queue).
# Bounded, so a scenario that breaks replication on purpose only costs the bound.
i=0
until [ -e /run/lab-partner-up ]; do
    i=$((i + 1)); [ "$i" -lt 1000 ] || { echo "partner not up after 100 s"; break; }
    sleep 0.1
done
settled=no
i=0
while [ "$i" -lt 60 ]; do
    i=$((i + 1))
    if doveadm replicator status 2>/dev/null | awk '
        /^Queued .(sync|high|low|failed). requests/ || /^Waiting .failed. requests/ { n += $NF }
        END { exit n != 0 }' && doveadm replicator status '*' 2>/dev/null | awk '
        NR > 1 && ($5 == "-" || $6 != "-") { bad = 1 } END { exit bad }' \
        && doveadm replicator dsync-status 2>/dev/null | awk '
        NR > 1 && /^[^ ]/ { busy = 1 } END { exit busy }'; then
        settled=yes; break
    fi
    [ $((i % 8)) -ne 1 ] || doveadm replicator replicate -f '*' >/dev/null 2>&1 || true
    sleep 0.25
done
echo "replication settled: $settled after $i rounds"
