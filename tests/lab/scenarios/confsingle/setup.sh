# Everything moved into local.conf, and dovecot.conf no longer includes conf.d.
cd /etc/dovecot
for f in conf.d/*.conf; do sed 's|^!include \([a-z]\)|!include conf.d/\1|; s|^!include_try \([a-z]\)|!include_try conf.d/\1|' "$f"; done > local.conf
printf '!include_try /usr/share/dovecot/protocols.d/*.protocol\n!include local.conf\n' > dovecot.conf
doveconf -n >/dev/null
