"""Listening TCP sockets as `ss -Hltnp` prints them, and the ports Dovecot should hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inventory import Expect

PROTOCOL_PORTS = {"imap": (143, 993), "pop3": (110, 995), "sieve": (4190,)}
_LINE = re.compile(r"^\S+\s+\d+\s+\d+\s+(?P<local>\S+):(?P<port>\d+)\s+\S+(?:\s+(?P<users>.*))?$")
_PROC = re.compile(r'\("(?P<name>[^"]+)",pid=\d+')


@dataclass(frozen=True)
class Listener:
    address: str
    port: int
    processes: tuple[str, ...]


def parse_ss(text: str) -> list[Listener]:
    found = []
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if m:
            procs = tuple(p.group("name") for p in _PROC.finditer(m.group("users") or ""))
            found.append(Listener(m.group("local").strip("[]"), int(m.group("port")), procs))
    return found


def dovecot_ports(listeners: list[Listener]) -> set[int]:
    return {li.port for li in listeners if "dovecot" in li.processes}


def expected_ports(expect: Expect) -> set[int]:
    """The guide's ports for the expected protocols, LMTP's 24 when it listens on a port,
    and doveadm's 12345 on a replication partner."""
    ports = {p for proto in expect.protocols for p in PROTOCOL_PORTS.get(proto, ())}
    if "lmtp" in expect.protocols and expect.lmtp == "port":
        ports.add(24)
    if expect.replication_partner:
        ports.add(12345)
    return ports


def disabled_ports(expect: Expect) -> dict[str, tuple[int, ...]]:
    return {p: ports for p, ports in PROTOCOL_PORTS.items() if p not in expect.protocols}
