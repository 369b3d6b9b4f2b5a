# 1.4 step 4 left out: no rich rule admits the partner to 12345.
python3 - /etc/firewalld/zones/public.xml <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r'  <rule family="ipv[46]">\n(?:    .*\n)*?    <port protocol="tcp" port="12345"/>\n    <accept/>\n  </rule>\n', "", text)
assert 'port="12345"' not in text
open(path, "w").write(text)
PY
