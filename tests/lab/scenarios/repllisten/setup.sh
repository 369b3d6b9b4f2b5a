python3 - /etc/dovecot/conf.d/10-replication.conf <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
for old, new in (
    ("    mode = 0600\n    user = vmail\n", "    mode = 0666\n    user = dovecot\n"),
    ("  fifo_listener replication-notify-fifo {\n    user = vmail\n  }\n", ""),
    ("  unix_listener replication-notify {\n    user = vmail\n  }\n", ""),
    ("    port = 12345\n", "    port = 12346\n"),
):
    assert old in text, old
    text = text.replace(old, new)
open(path, "w").write(text)
PY
