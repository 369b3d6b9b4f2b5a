# firewall-cmd --permanent --add-port=12345/tcp, and source address="198.51.100.0/24" (and
# the IPv6 /64) on the LMTP rules instead of the SMTP server's /32 and /128.
python3 - /etc/firewalld/zones/public.xml <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = text.replace("  <forward/>\n", '  <port protocol="tcp" port="12345"/>\n  <forward/>\n')
rule = r'(<source address=")[^"]+("/>\n    <port protocol="tcp" port="24"/>)'
text = re.sub(rule, lambda m: m[1] + ("2001:db8:100::/64" if ":" in m[0] else "198.51.100.0/24") + m[2], text)
open(path, "w").write(text)
PY
grep -q '198.51.100.0/24' /etc/firewalld/zones/public.xml
