# An upper bound below vmail's UID (a valid configuration: first_valid_uid <= last_valid_uid):
# Dovecot then refuses to access anyone's mail.
[ "$(id -u vmail)" -gt 1000 ] || usermod -u 1500 vmail
echo 'last_valid_uid = 1000' > /etc/dovecot/conf.d/99-last-uid.conf
