# Profile "pair", once Dovecot runs: both partners boot at once, and their first full
# syncs of the same new users can collide (one side then waits minutes to retry). Settle:
# resync until every user has synced once, and nothing failed or is queued.
# Bounded, so a scenario that breaks replication on purpose only costs the bound.
settled=no
i=0
while [ "$i" -lt 40 ]; do
    i=$((i + 1))
    if doveadm replicator status 2>/dev/null | awk '
        /^Queued .(sync|high|low|failed). requests/ || /^Waiting .failed. requests/ { n += $NF }
        END { exit n != 0 }' && doveadm replicator status '*' 2>/dev/null | awk '
        NR > 1 && ($5 == "-" || $6 != "-") { bad = 1 } END { exit bad }'; then
        settled=yes; break
    fi
    [ $((i % 8)) -ne 1 ] || doveadm replicator replicate -f '*' >/dev/null 2>&1 || true
    sleep 0.25
done
echo "replication settled: $settled"
