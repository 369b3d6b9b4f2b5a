chmod 755 /var/mail/
