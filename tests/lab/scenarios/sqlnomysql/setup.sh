# dovecot-mysql is not installed as a package, its driver copied in by hand: dpkg does not
# know it (and so neither updates it), while Dovecot keeps working.
files=$(dpkg -L dovecot-mysql | grep '\.so$')
tar -cf /run/mysql-driver.tar $files 2>/dev/null
dpkg --purge --force-depends dovecot-mysql >/dev/null 2>&1
tar -xf /run/mysql-driver.tar -C / && rm -f /run/mysql-driver.tar
