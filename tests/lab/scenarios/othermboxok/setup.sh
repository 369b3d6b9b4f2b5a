# 1.5's optional example, added without telling the inventory.
cat > /etc/dovecot/conf.d/16-important.conf <<'CONF'
namespace inbox {
  mailbox "Important Emails" {
    auto = create
  }
}
CONF
