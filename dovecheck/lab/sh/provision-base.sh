# Sourced by init.sh: what every lab host has, whatever its profile. The name
# resolution, the SSH daemon with a host key of its own, and the audit account.
cp "$seed/hosts" /etc/hosts
rm -f /etc/ssh/ssh_host_*
install -m 600 "$seed/ssh/ssh_host_ed25519_key" /etc/ssh/
install -m 644 "$seed/ssh/ssh_host_ed25519_key.pub" /etc/ssh/
cat > /etc/ssh/sshd_config.d/dovecheck-lab.conf <<SSHD
HostKey /etc/ssh/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM yes
SSHD
install -d -m 755 /run/sshd

# The audit account: key only, and sudo for read-only commands alone.
useradd --create-home --shell /bin/sh "$AUDIT_USER"
install -d -m 700 -o "$AUDIT_USER" "/home/$AUDIT_USER/.ssh"
install -m 600 -o "$AUDIT_USER" "$seed/ssh/authorized_keys" "/home/$AUDIT_USER/.ssh/authorized_keys"
install -m 440 "$LAB_SH/sudoers-audit" "/etc/sudoers.d/$AUDIT_USER"
sed -i "s/@AUDIT_USER@/$AUDIT_USER/" "/etc/sudoers.d/$AUDIT_USER"
# Lab hosts are disposable: the opt-in destructive checks may break what they create.
install -m 755 "$LAB_SH/dovecheck-break-index" /usr/local/sbin/dovecheck-break-index
install -m 440 "$LAB_SH/sudoers-destructive" "/etc/sudoers.d/$AUDIT_USER-destructive"
sed -i "s/@AUDIT_USER@/$AUDIT_USER/" "/etc/sudoers.d/$AUDIT_USER-destructive"
