# A hand-written capability list that forgets IMAP4rev1 and IDLE.
echo 'imap_capability = SASL-IR ID ENABLE LITERAL+' > /etc/dovecot/conf.d/99-caps.conf
