# Profile "firewall": firewalld in the host, as sections 1.1.5, 1.4, 1.6 and 1.8 configure it.
# Sourced by init.sh with set -eux, after "pam". The permanent public zone is written as
# `firewall-cmd --permanent` would leave it; started.sh starts firewalld, which loads it.
#   1.1.5  --add-service=imaps --add-service=imap --add-service=pop3s --add-service=pop3
#   1.8    --add-service=managesieve
#   1.4    rich rules: only the replication partner reaches 12345 (IPv4 /32, IPv6 /128)
#   1.6    rich rules: only the SMTP server reaches the LMTP port 24
addr() { getent ahosts "$1" | awk -v fam="$2" '(fam == 4) == ($1 !~ /:/) { print $1; exit }'; }
rich() {  # host port: one rule per address family
    for fam in 4 6; do
        a=$(addr "$1" "$fam"); [ -n "$a" ] || { echo "no IPv$fam address for $1"; exit 1; }
        [ "$fam" = 4 ] && mask=32 || mask=128
        printf '  <rule family="ipv%s">\n    <source address="%s/%s"/>\n' "$fam" "$a" "$mask"
        printf '    <port protocol="tcp" port="%s"/>\n    <accept/>\n  </rule>\n' "$2"
    done
}
install -d -m 750 /etc/firewalld/zones
{
    echo '<?xml version="1.0" encoding="utf-8"?>'
    echo '<zone>'
    echo '  <short>Public</short>'
    for service in ssh dhcpv6-client imaps imap pop3s pop3 managesieve; do
        echo "  <service name=\"$service\"/>"
    done
    echo '  <forward/>'
    [ -z "$REPL_PARTNER" ] || rich "$REPL_PARTNER" 12345
    [ -z "$SMTP_SERVER" ] || rich "$SMTP_SERVER" 24
    echo '</zone>'
} > /etc/firewalld/zones/public.xml
chmod 640 /etc/firewalld/zones/public.xml
