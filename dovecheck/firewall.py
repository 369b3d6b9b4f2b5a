"""firewalld's zones as `firewall-cmd --list-all-zones` prints them, and who they admit.

The guide opens the client ports with services (1.1.5, 1.8), closes those of disabled
protocols (1.7), and lets only named hosts reach the replication port 12345 (1.4) and the
LMTP port 24 (1.6) with rich rules limited to one address (/32, /128). What reaches a port
is judged from every zone that applies to outside traffic: the default zone, zones bound to
an interface, and zones bound to a source (which admit that source only).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from .replication import DOVEADM_PORT
from .services import LMTP

# firewalld's own service definitions for the guide's services (/usr/lib/firewalld/services)
SERVICE_PORTS = {
    "imap": (143,),
    "imaps": (993,),
    "pop3": (110,),
    "pop3s": (995,),
    "managesieve": (4190,),
    "lmtp": (24,),
}
PROTOCOL_SERVICES = {
    "imap": ("imap", "imaps"),
    "pop3": ("pop3", "pop3s"),
    "sieve": ("managesieve",),
}

PROBE_TIMEOUT = 3.0  # a dropped SYN costs this much; a rejected one answers at once


def probe_timeout(host) -> float:
    return min(host.timeout, PROBE_TIMEOUT)


def outsider_ports(host) -> set[int]:
    """The ports the firewall checks dial from the auditor: the client services', which
    must answer, and the partner's and the SMTP server's, which must not."""
    expect = host.expect
    ports = {
        port
        for protocol in expect.protocols
        for service in PROTOCOL_SERVICES.get(protocol, ())
        for port in SERVICE_PORTS[service]
    }
    if expect.replication_partner:
        ports.add(DOVEADM_PORT)
    if "lmtp" in expect.protocols and expect.lmtp == "port" and expect.smtp_server:
        ports.add(LMTP.port)
    return ports


_ZONE_HEAD = re.compile(r"^(?P<name>[\w.-]+)(?P<flags>\s+\(.*\))?\s*$")
_FIELD = re.compile(r"^\s+(?P<key>[\w -]+):\s?(?P<value>.*)$")
# rule family="ipv4" source address="198.51.100.12/32" port port="12345" protocol="tcp" accept
_ATTR = re.compile(r'(?P<key>[\w-]+)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class RichRule:
    text: str
    family: str | None
    source: str | None
    source_inverted: bool
    port: int | None
    service: str | None
    action: str | None

    @classmethod
    def parse(cls, text: str) -> RichRule:
        words = text.split()
        attrs: dict[str, str] = {}
        context = ""
        for word in words:
            m = _ATTR.fullmatch(word)
            if m is None:
                context = word if word in ("source", "port", "service", "destination") else context
                continue
            attrs[f"{context}.{m['key']}" if context else m["key"]] = m["value"]
        port = attrs.get("port.port", "")
        action = next((w for w in ("accept", "reject", "drop", "mark") if w in words), None)
        return cls(
            text=text,
            family=attrs.get("family"),
            source=attrs.get("source.address") or attrs.get("source.ipset"),
            source_inverted="NOT" in words[words.index("source") :] if "source" in words else False,
            port=int(port) if port.isdigit() else None,
            service=attrs.get("service.name"),
            action=action,
        )

    def opens(self, port: int) -> bool:
        if self.action != "accept":
            return False
        return self.port == port or port in SERVICE_PORTS.get(self.service or "", ())


@dataclass
class Zone:
    name: str
    active: bool = False
    default: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    rich_rules: list[RichRule] = field(default_factory=list)

    def items(self, key: str) -> list[str]:
        return self.fields.get(key, "").split()

    @property
    def services(self) -> set[str]:
        return set(self.items("services"))

    @property
    def applies_to_everyone(self) -> bool:
        """Outside traffic from any address reaches this zone (default or interface zone)."""
        return self.default or bool(self.items("interfaces"))

    def open_ports(self) -> set[int]:
        """Ports open to every source of the zone: its ports, and its services' ports."""
        ports = set()
        for item in self.items("ports"):
            number, _, proto = item.partition("/")
            if proto == "tcp" and "-" in number:
                lo, hi = number.split("-")
                ports |= set(range(int(lo), int(hi) + 1))
            elif proto == "tcp" and number.isdigit():
                ports.add(int(number))
        for service in self.services:
            ports |= set(SERVICE_PORTS.get(service, ()))
        return ports

    def comparable(self) -> dict:
        """What `--reload` would change: everything but the runtime interface bindings."""
        keep = {k: " ".join(sorted(v.split())) for k, v in self.fields.items()}
        keep.pop("interfaces", None)
        return {**keep, "rich rules": sorted(r.text for r in self.rich_rules)}


def parse_zones(text: str, default_zone: str = "") -> dict[str, Zone]:
    zones: dict[str, Zone] = {}
    zone: Zone | None = None
    in_rich = False
    for line in text.splitlines():
        if not line.strip():
            continue
        head = _ZONE_HEAD.match(line)
        if head and not line[0].isspace():
            flags = head["flags"] or ""
            zone = Zone(head["name"], "active" in flags, "default" in flags)
            zone.default = zone.default or zone.name == default_zone
            zones[zone.name] = zone
            in_rich = False
            continue
        if zone is None:
            continue
        if in_rich and line.startswith("\t"):
            zone.rich_rules.append(RichRule.parse(line.strip()))
            continue
        m = _FIELD.match(line)
        if m:
            in_rich = m["key"].strip() == "rich rules"
            if not in_rich:
                zone.fields[m["key"].strip()] = m["value"].strip()
    return zones


@dataclass(frozen=True)
class Admission:
    """Who reaches `port`: open to everyone (where), and the sources rules admit."""

    port: int
    everyone: tuple[str, ...]  # "zone public: port 12345/tcp", ...
    sources: tuple[tuple[str, str], ...]  # (source, why)


def admission(zones: dict[str, Zone], port: int) -> Admission:
    everyone: list[str] = []
    sources: list[tuple[str, str]] = []
    for zone in zones.values():
        bound = zone.items("sources")
        if not zone.applies_to_everyone and not bound:
            continue  # a zone no traffic reaches
        if port in zone.open_ports():
            why = f"zone {zone.name}: port {port} open (ports/services)"
            if zone.applies_to_everyone:
                everyone.append(why)
            else:
                sources += [(s, f"{why} for its source {s}") for s in bound]
        if zone.items("target") == ["ACCEPT"]:
            why = f"zone {zone.name}: target ACCEPT"
            if zone.applies_to_everyone:
                everyone.append(why)
            else:
                sources += [(s, f"{why} for its source {s}") for s in bound]
        for rule in zone.rich_rules:
            if not rule.opens(port):
                continue
            if rule.source is None or rule.source_inverted:
                everyone.append(f"zone {zone.name}: rich rule without a single source: {rule.text}")
            else:
                sources.append((rule.source, f"zone {zone.name}: {rule.text}"))
    return Admission(port, tuple(everyone), tuple(sources))


def too_wide(admitted: Admission, allowed: set[str]) -> list[str]:
    """Openings of the port beyond the allowed addresses: each a sentence saying where."""
    problems = [f"open to everyone: {w}" for w in admitted.everyone]
    allowed_ips = {ipaddress.ip_address(a) for a in allowed}
    for source, why in admitted.sources:
        try:
            net = ipaddress.ip_network(source, strict=False)
        except ValueError:
            problems.append(f"source {source!r} is not one address: {why}")
            continue
        if net.num_addresses != 1:
            problems.append(f"source {source} admits {net.num_addresses} addresses: {why}")
        elif net.network_address not in allowed_ips:
            problems.append(f"source {source} is not an allowed host: {why}")
    return problems


def missing(admitted: Admission, allowed: set[str]) -> list[str]:
    """Allowed addresses that no rule admits by name (/32 or /128)."""
    named = set()
    for source, _ in admitted.sources:
        try:
            net = ipaddress.ip_network(source, strict=False)
        except ValueError:
            continue
        if net.num_addresses == 1:
            named.add(net.network_address)
    return sorted(a for a in allowed if ipaddress.ip_address(a) not in named)
