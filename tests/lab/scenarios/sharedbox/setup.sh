sed -i 's|^mail_location = .*|mail_location = sdbox:/var/mail/shared/|' /etc/dovecot/conf.d/10-mail.conf
