"""What a check is pointed at: a host, or one of its addresses (IPv4 and IPv6 apart)."""

from __future__ import annotations

from dataclasses import dataclass

from .inventory import Host


@dataclass(frozen=True)
class Endpoint:
    host: Host
    family: str
    address: str

    @property
    def id(self) -> str:
        return f"{self.host.name}-{self.family}"


def endpoints(hosts: list[Host]) -> list[Endpoint]:
    return [Endpoint(h, fam, addr) for h in hosts for fam, addr in h.addresses.families().items()]
