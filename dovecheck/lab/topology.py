"""Who is in the lab, at which documentation address, running which profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "dcl-"  # every namespace the lab creates starts with this
LAB_NS = f"{PREFIX}lab"  # holds the bridge, and nothing else
CLIENT_NS = f"{PREFIX}client"  # the harness's vantage point
BRIDGE = "br0"
DOMAIN = "example.com"
NET4 = "198.51.100"  # TEST-NET-2; never 192.0.2.0/24, the machine's uplink
NET6 = "2001:db8:100:"  # documentation prefix; never fd00::/64
STATE_DIR = Path("/var/lib/dovecheck-lab")
RUN_DIR = Path("/run/dovecheck-lab")


@dataclass(frozen=True)
class LabHost:
    """A lab machine: one network namespace, and for servers a private root too."""

    name: str
    octet: int
    profiles: tuple[str, ...] = ()
    overlays: tuple[Path, ...] = ()
    expect: dict = field(default_factory=dict, hash=False, compare=False)

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

PAM_EXPECT = {
    "protocols": ["imap", "pop3", "lmtp", "sieve"],
    "auth_backend": "pam",
}


def default_servers() -> list[LabHost]:
    """The reference hosts: each configured exactly as the guide's section 1.1 says."""
    return [
        LabHost("server1", 11, ("pam",), expect=PAM_EXPECT),
        LabHost("server2", 12, ("pam",), expect=PAM_EXPECT),
    ]
