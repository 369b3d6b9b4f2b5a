"""Who is in the lab, at which documentation address, running which profile."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path


def _lab_id() -> str:
    """A second lab on the same machine (DOVECHECK_LAB_ID=b) gets its own namespaces and
    directories, so `lab up` of one never clears the other."""
    lab_id = os.environ.get("DOVECHECK_LAB_ID", "")
    if not re.fullmatch(r"[a-z0-9]{0,4}", lab_id):
        raise SystemExit(f"DOVECHECK_LAB_ID={lab_id!r}: up to 4 lowercase letters or digits")
    return lab_id


LAB_ID = _lab_id()
_SUFFIX = f"-{LAB_ID}" if LAB_ID else ""
PREFIX = f"dcl{LAB_ID}-"  # every namespace the lab creates starts with this
LAB_NS = f"{PREFIX}lab"  # holds the bridge, and nothing else
CLIENT_NS = f"{PREFIX}client"  # the harness's vantage point
BRIDGE = "br0"
DOMAIN = "example.com"
NET4 = "198.51.100"  # TEST-NET-2; never 192.0.2.0/24, the machine's uplink
NET6 = "2001:db8:100:"  # documentation prefix; never fd00::/64
STATE_DIR = Path(f"/var/lib/dovecheck-lab{_SUFFIX}")
RUN_DIR = Path(f"/run/dovecheck-lab{_SUFFIX}")


@dataclass(frozen=True)
class LabHost:
    """A lab machine: one network namespace, and for servers a private root too."""

    name: str
    octet: int
    profiles: tuple[str, ...] = ()
    overlays: tuple[Path, ...] = ()
    expect: dict = field(default_factory=dict, hash=False, compare=False)
    role: str = "dovecot"  # or a neighbour of the guide's: mta, ldap, db, dns

    @property
    def netns(self) -> str:
        return f"{PREFIX}{self.name}"

    @property
    def fqdn(self) -> str:
        return f"{self.name}.{DOMAIN}"

    @property
    def ipv4(self) -> str:
        return f"{NET4}.{self.octet}"

    @property
    def ipv6(self) -> str:
        return f"{NET6}:{self.octet}"


CLIENT = LabHost("client", 10)

MTA = "mta"  # the guide's SMTP server on another host, delivering over LMTP (1.6)
NS = LabHost("ns", 5, ("dns",), role="dns")  # the zone's DNS server (dnsmasq)

PAM_EXPECT = {
    "protocols": ["imap", "pop3", "lmtp", "sieve"],
    "auth_backend": "pam",
    "lmtp": "port",
    "smtp_server": MTA,
}


LDAP = "ldap"  # the guide's LDAP server (1.2.4): slapd over ldaps://
DB = "db"  # the guide's MariaDB server (1.3.4), with TLS

LDAP_EXPECT = {**PAM_EXPECT, "auth_backend": "ldap"}
SQL_EXPECT = {**PAM_EXPECT, "auth_backend": "sql"}
# What a server added with a profile is expected to do (lab up --add-host NAME=PROFILE).
PROFILE_EXPECT = {
    "pam": PAM_EXPECT,
    "ldap": LDAP_EXPECT,
    "ldaptpl": LDAP_EXPECT,
    "sql": SQL_EXPECT,
}
# The neighbour a profile's servers authenticate against, started only when one is in the lab.
BACKEND_HOSTS = {
    "ldap": LabHost(LDAP, 201, ("ldapsrv",), role="ldap"),
    "ldaptpl": LabHost(LDAP, 201, ("ldapsrv",), role="ldap"),
    "sql": LabHost(DB, 202, ("dbsrv",), role="db"),
}


def backend_neighbours(servers: list[LabHost]) -> list[LabHost]:
    """The LDAP and database hosts the servers' profiles need (none for PAM alone)."""
    wanted = {p for s in servers for p in s.profiles if p in BACKEND_HOSTS}
    present = {s.name for s in servers}
    needed = {BACKEND_HOSTS[p].name: BACKEND_HOSTS[p] for p in sorted(wanted)}
    return [h for n, h in needed.items() if n not in present]


# Profiles layered on pam: "firewall" is firewalld in the host (its own D-Bus and nftables)
# with the guide's services and rich rules; "pair" is section 1.4's replication with the
# host's partner. Only hosts that carry them pay for them (firewalld is a Python daemon).
PAIR_PROFILES = ("pam", "firewall", "pair")


def expect_for(profiles: tuple[str, ...], partner: str | None = None) -> dict:
    """What the inventory expects of a lab server built from these profiles."""
    backend = [p for p in profiles if p in PROFILE_EXPECT]
    expect = dict(PROFILE_EXPECT[backend[-1]]) if backend else {}
    if "firewall" in profiles:
        expect["firewall"] = True
    if partner is not None:
        expect["replication_partner"] = partner
    return expect


def default_servers() -> list[LabHost]:
    """The reference hosts, each configured exactly as the guide says (1.1, and 1.4 between
    the two of them), and their neighbours."""
    return [
        LabHost("server1", 11, PAIR_PROFILES, expect=expect_for(PAIR_PROFILES, "server2")),
        LabHost("server2", 12, PAIR_PROFILES, expect=expect_for(PAIR_PROFILES, "server1")),
        LabHost(MTA, 25, ("mta",), role="mta"),
        NS,
    ]
