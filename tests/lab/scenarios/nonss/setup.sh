# The second test account is gone from the local user database.
sed -i '/^dctest2:/d' /etc/passwd /etc/shadow
