# Real Dovecot behaviour, not a fake answer: with its transaction log garbled (and no
# dovecot.index written yet), an sdbox mailbox opens empty until `doveadm force-resync`.
sed -i 's/^BREAK="dovecot.index dovecot.index.cache"$/BREAK="dovecot.index dovecot.index.cache dovecot.index.log"/' \
    /usr/local/sbin/dovecheck-break-index
grep -q '^BREAK="dovecot.index dovecot.index.cache dovecot.index.log"$' /usr/local/sbin/dovecheck-break-index
