# The LMTP socket left world-writable (Debian's commented default, 0666): any local user
# can hand Dovecot mail with forged envelopes.
sed -i 's/^    mode = 0600$/    mode = 0666/' /etc/dovecot/conf.d/10-master.conf
grep -q '^    mode = 0666$' /etc/dovecot/conf.d/10-master.conf
