# The running server is fine; the configuration on disk no longer parses.
echo 'this is not { a setting' > /etc/dovecot/conf.d/99-broken.conf
