# Profile "pair": section 1.4, replication with $REPL_PARTNER, on top of "pam".
# Sourced by init.sh with set -eux. 10-replication.conf is exactly the guide's, step by step.
[ -n "$REPL_PARTNER" ] || { echo "the pair profile needs a replication partner"; exit 1; }
repl=/etc/dovecot/conf.d/10-replication.conf
partner_fqdn=$(getent hosts "$REPL_PARTNER" | awk '{ print $2; exit }')
cat > "$repl" <<CONF
mail_plugins = \$mail_plugins notify replication

service replicator {
  process_min_avail = 1

  unix_listener replicator-doveadm {
    mode = 0600
    user = vmail
  }
}

service aggregator {
  fifo_listener replication-notify-fifo {
    user = vmail
  }
  unix_listener replication-notify {
    user = vmail
  }
}

service doveadm {
  inet_listener {
    port = 12345
  }
}

doveadm_password = $(cat "$seed/doveadm_password")

plugin {
  mail_replica = tcp:$partner_fqdn:12345
}

replication_max_conns = 20
CONF
chown root:root "$repl"
chmod 600 "$repl"
