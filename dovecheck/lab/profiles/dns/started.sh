# dnsmasq answers authoritatively-enough for example.com: names not in the zone file are
# NXDOMAIN (--local), and nothing is forwarded (--no-resolv).
dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --addn-hosts=/etc/dovecheck-zone.hosts \
    --local=/example.com/ --domain-needed --user=dnsmasq --group=nogroup \
    --pid-file=/run/dnsmasq.pid
i=0
until ss -Hlun 'sport = :53' | grep -q . ; do
    i=$((i + 1)); [ "$i" -lt 100 ] || { echo "dnsmasq did not listen"; exit 1; }
    sleep 0.05
done
