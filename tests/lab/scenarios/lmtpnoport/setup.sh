# The SMTP server is on another host, but LMTP has no inet_listener (only the socket).
python3 - /etc/dovecot/conf.d/10-master.conf <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
new = re.sub(r"  inet_listener lmtp \{\n    port = 24\n  \}\n", "", text)
assert new != text
open(path, "w").write(new)
PY
