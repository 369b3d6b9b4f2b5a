"""Section 1.4's replication settings read from the effective configuration, and the
replicator's own status tables (`doveadm replicator status [user]`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .doveconf import Config, Section

DOVEADM_PORT = 12345  # the guide's service doveadm { inet_listener { port = 12345 } }
# sha256sum of an empty doveconf -h: the setting is not set at all
UNSET_DIGEST = hashlib.sha256(b"\n").hexdigest()
_REPLICA = re.compile(r"^mail_replica\d*$")


def service(config: Config, name: str) -> Section | None:
    return config.first("service", name)


def listener(config: Config, service_name: str, kind: str, name: str | None) -> Section | None:
    """A service's unix_listener/fifo_listener/inet_listener by name (None: the unnamed one)."""
    svc = service(config, service_name)
    if svc is None:
        return None
    for section in svc.find(kind):
        if name is None or section.name == name:
            return section
    return None


def doveadm_ports(config: Config) -> set[int]:
    svc = service(config, "doveadm")
    ports = {s.get("port") for s in svc.find("inet_listener")} if svc else set()
    return {int(p) for p in ports if p.isdigit()}


def replicas(config: Config) -> dict[str, str]:
    """mail_replica and mail_replica2... from the plugin section."""
    plugin = config.first("plugin")
    settings = plugin.settings if plugin else {}
    return {k: v for k, v in settings.items() if _REPLICA.match(k)}


@dataclass(frozen=True)
class Replica:
    """tcp:HOST[:PORT] (doveadm over TCP), or another transport the guide does not use."""

    raw: str
    transport: str
    host: str
    port: int | None

    @classmethod
    def parse(cls, raw: str) -> Replica:
        transport, _, rest = raw.partition(":")
        if transport not in ("tcp", "tcps"):
            return cls(raw, transport, rest, None)
        host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
        if rest.startswith("["):  # tcp:[2001:db8::1]:12345
            host, _, port = rest[1:].partition("]:")
        return cls(raw, transport, host or rest, int(port) if port.isdigit() else None)


def plugins(config: Config) -> dict[str, set[str]]:
    """mail_plugins globally and in each protocol block that sets its own."""
    found = {"global": set(config.get("mail_plugins").replace('"', " ").split())}
    for block in config.find("protocol"):
        if "mail_plugins" in block.settings:
            found[block.name] = set(block.get("mail_plugins").replace('"', " ").split())
    return found


@dataclass(frozen=True)
class ReplicatorStatus:
    counters: dict[str, int]

    @property
    def failed(self) -> int:
        return sum(v for k, v in self.counters.items() if "'failed'" in k)

    @property
    def known_users(self) -> int:
        return self.counters.get("Total number of known users", 0)


def parse_status(text: str) -> ReplicatorStatus:
    counters = {}
    for line in text.splitlines():
        m = re.match(r"^(?P<key>\S.*?)\s+(?P<n>\d+)\s*$", line)
        if m:
            counters[m["key"]] = int(m["n"])
    return ReplicatorStatus(counters)


@dataclass(frozen=True)
class UserStatus:
    user: str
    priority: str
    fast_sync: str
    full_sync: str
    success_sync: str
    failed: bool


def parse_user_status(text: str) -> dict[str, UserStatus]:
    users = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 6:
            users[parts[0]] = UserStatus(
                parts[0], parts[1], parts[2], parts[3], parts[4], parts[5] != "-"
            )
    return users
