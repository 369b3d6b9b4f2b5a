# Trash created and subscribed, but without its special-use attribute.
sed -i '/^  mailbox Trash {/,/^  }/{/special_use/d}' /etc/dovecot/conf.d/15-mailboxes.conf
