# cydir is a working storage driver of Dovecot's own, outside the guide's formats.
sed -i 's|^mail_location = .*|mail_location = cydir:/var/mail/%n/|' /etc/dovecot/conf.d/10-mail.conf
grep -q '^mail_location = cydir' /etc/dovecot/conf.d/10-mail.conf
