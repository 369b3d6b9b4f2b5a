python3 - /etc/dovecot/conf.d/auth-system.conf.ext <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
old = "  driver = passwd\n  override_fields = uid=vmail gid=vmail home=/var/mail/%n/\n"
assert old in text
open(path, "w").write(text.replace(old, "  driver = static\n  args = uid=vmail gid=vmail home=/var/mail/%n/ allow_all_users=yes\n"))
PY
