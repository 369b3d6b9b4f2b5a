# Profile "mta": the guide's SMTP server on another host (1.6). It needs nothing but the
# base: the audit delivers over LMTP from here through this host's SSH connection (a
# direct-tcpip channel), so the connection comes from the address the firewall admits.
:
