# Profile "firewall", once the services run: the host's own system bus (its /run is
# private), then firewalld on it with the nftables backend, in the host's namespaces.
install -d -m 755 /run/dbus
dbus-daemon --system --fork
firewalld --nofork --nopid >/run/firewalld.log 2>&1 &
i=0
until firewall-cmd --state >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 150 ] || { cat /run/firewalld.log; echo "firewalld did not start"; exit 1; }
    sleep 0.1
done
