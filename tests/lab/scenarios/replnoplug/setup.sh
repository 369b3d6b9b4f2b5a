sed -i 's|^mail_plugins = .*|mail_plugins = $mail_plugins notify|' /etc/dovecot/conf.d/10-replication.conf
