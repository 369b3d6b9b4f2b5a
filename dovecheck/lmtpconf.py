"""1.6: where Dovecot's LMTP listens, read from the effective configuration.

Built-in defaults matter here too: `doveconf -n` omits the default unix_listener lmtp
(mode 0666 in /var/run/dovecot) and the default base_dir, and there is no default
inet listener: a port exists only when a `service lmtp` block declares one.
"""

from __future__ import annotations

import posixpath

from .doveconf import Config, Section

DEFAULT_BASE_DIR = "/var/run/dovecot"


def service(config: Config) -> Section | None:
    return config.first("service", "lmtp")


def socket_path(config: Config) -> str:
    """The guide's socket: `lmtp` in base_dir (/var/run/dovecot/lmtp by default)."""
    return posixpath.join(config.get("base_dir", DEFAULT_BASE_DIR), "lmtp")


def inet_ports(config: Config) -> set[int]:
    """The TCP ports of service lmtp's inet listeners (port 0 or none: not listening)."""
    svc = service(config)
    ports = set()
    for listener in svc.find("inet_listener") if svc else []:
        port = listener.get("port", "0")
        if port.isdigit() and int(port) > 0:
            ports.add(int(port))
    return ports


def describe(config: Config) -> str:
    """The service lmtp block as doveconf prints it: the excerpt for the evidence."""
    svc = service(config)
    return svc.render() if svc else "(no service lmtp block: built-in defaults only)"
