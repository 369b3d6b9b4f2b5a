sed -i 's|^mail_location = .*|mail_location = maildir:/var/mail/%n/Maildir|' /etc/dovecot/conf.d/10-mail.conf
