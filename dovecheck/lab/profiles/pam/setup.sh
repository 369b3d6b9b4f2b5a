# Profile "pam": the guide's section 1.1, step by step, on Debian's default files.
# Sourced by init.sh with set -eux; $seed and host.env's variables are set.
conf=/etc/dovecot/conf.d
certs=/etc/pki/dovecot/certs private=/etc/pki/dovecot/private
crt=$certs/$HOST_FQDN.crt key=$private/$HOST_FQDN.key

# 1.1.2 TLS: certificate, key (root:root 600), CA, 4096-bit DH parameters.
install -d -m 755 "$certs" "$private"
install -m 644 "$seed/pki/server.crt" "$crt"
install -m 644 "$seed/pki/ca.crt" "$certs/ca.crt"
install -m 644 "$seed/pki/server.key" "$key"
chown root:root "$key"
chmod 600 "$key"
install -m 644 "$seed/pki/dh.pem" /etc/dovecot/dh.pem
sed -i -e "s|^ssl_cert = .*|ssl_cert = <$crt|" \
       -e "s|^ssl_key = .*|ssl_key = <$key|" \
       -e "s|^#ssl_ca = .*|ssl_ca = <$certs/ca.crt|" \
       -e "s|^#\?ssl_dh = .*|ssl_dh = </etc/dovecot/dh.pem|" "$conf/10-ssl.conf"

# 1.1.3 Virtual users: vmail owns /var/mail/ alone; sdbox with a directory per user.
useradd --home-dir /var/mail/ --shell /usr/sbin/nologin vmail
chown vmail:vmail /var/mail/
chmod 700 /var/mail/
sed -i "s|^mail_location = .*|mail_location = sdbox:/var/mail/%n/|" "$conf/10-mail.conf"

# 1.1.4 PAM: lowest UID, and fixed uid/gid/home from the userdb.
sed -i "s|^#first_valid_uid = .*|first_valid_uid = 1000|" "$conf/10-mail.conf"
cat > "$conf/auth-system.conf.ext" <<'CONF'
passdb {
  driver = pam
}

userdb {
  driver = passwd
  override_fields = uid=vmail gid=vmail home=/var/mail/%n/
}
CONF

# 1.5 Special-use mailboxes, created and subscribed for every user.
for box in Drafts Junk Trash Sent; do
    sed -i "/^  mailbox $box {/a\\    auto = subscribe" "$conf/15-mailboxes.conf"
done

# 1.6 LMTP: the socket customised as the guide shows (postfix:postfix 0600; the lab has
# no Postfix, so only its account), and the LMTP service on 24 for the SMTP server on the
# mta host. 1.8 verification: the server performs a Sieve script's actions on delivered
# mail, which needs the sieve plugin in LMTP.
useradd --system --no-create-home --shell /usr/sbin/nologin postfix
python3 - "$conf/10-master.conf" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
old = """  unix_listener lmtp {
    #mode = 0666
  }
"""
new = """  unix_listener lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
  inet_listener lmtp {
    port = 24
  }
"""
assert old in text, "10-master.conf: service lmtp is not Debian's"
open(path, "w").write(text.replace(old, new, 1))
PY
sed -i "/^protocol lmtp {/a\  mail_plugins = \$mail_plugins sieve" "$conf/20-lmtp.conf"

# A bystander with mail of its own: the audit must never touch it (write-safety self-test).
useradd --uid 2101 --no-create-home --shell /usr/sbin/nologin bystander
echo "bystander:$(head -c 18 /dev/urandom | base64)" | chpasswd

# The test accounts: local users, as PAM and NSS see them.
while read -r user uid password; do
    useradd --uid "$uid" --no-create-home --shell /usr/sbin/nologin "$user"
    echo "$user:$password" | chpasswd
done < "$seed/accounts"
