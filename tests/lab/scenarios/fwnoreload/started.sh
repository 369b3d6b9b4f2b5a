firewall-cmd --permanent --remove-service=dhcpv6-client >/dev/null
