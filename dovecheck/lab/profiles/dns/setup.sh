# Profile "dns": the zone's DNS server. Clients find the servers by name (1.1.2: the
# certificate names the FQDN clients use), so the lab runs a real resolver for example.com
# that answers from the records `lab up` wrote, and nothing else (no upstream, no /etc/hosts).
install -m 644 "$seed/zone.hosts" /etc/dovecheck-zone.hosts
