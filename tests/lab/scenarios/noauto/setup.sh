# Junk no longer auto-subscribed (the line the guide adds, removed again).
sed -i '/^  mailbox Junk {/,/^  }/{/auto = subscribe/d}' /etc/dovecot/conf.d/15-mailboxes.conf
