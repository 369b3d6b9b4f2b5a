"""Which addresses the FQDN resolves to, asked of the resolvers the inventory names.

The certificate proves the server owns its name; DNS decides whether that name leads
clients to this server. A stale record sends them elsewhere, where the name check of their
TLS client either fails or, worse, passes on another machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.resolver

from .errors import CheckError

RDTYPE = {"ipv4": "A", "ipv6": "AAAA"}


@dataclass(frozen=True)
class Lookup:
    name: str
    rdtype: str
    addresses: tuple[str, ...]
    via: str  # which resolvers answered, for the evidence
    outcome: str  # "answer", "NXDOMAIN" or "no record of this type"

    def describe(self) -> str:
        found = ", ".join(self.addresses) or self.outcome
        return f"{self.name} {self.rdtype} via {self.via}: {found}"


def lookup(name: str, family: str, resolvers: list[str], timeout: float) -> Lookup:
    """An NXDOMAIN or an empty answer is an observation (a finding); a resolver that does
    not answer is not, and becomes an error."""
    rdtype = RDTYPE[family]
    if resolvers:
        res = dns.resolver.Resolver(configure=False)
        res.nameservers = resolvers
        via = ", ".join(resolvers)
    else:
        try:
            res = dns.resolver.Resolver()
        except dns.resolver.NoResolverConfiguration as exc:
            raise CheckError(
                "no resolver: the inventory names none and the auditor has no resolv.conf"
            ) from exc
        via = "the auditor's resolv.conf (" + ", ".join(map(str, res.nameservers)) + ")"
    res.lifetime = timeout
    qname = name if name.endswith(".") else name + "."
    try:
        answer = res.resolve(qname, rdtype, search=False)
    except dns.resolver.NXDOMAIN:
        return Lookup(name, rdtype, (), via, "NXDOMAIN")
    except dns.resolver.NoAnswer:
        return Lookup(name, rdtype, (), via, "no record of this type")
    except dns.exception.Timeout as exc:
        raise CheckError(f"DNS: no answer for {name} {rdtype} from {via} in {timeout:g} s") from exc
    except (dns.resolver.NoNameservers, dns.exception.DNSException) as exc:
        raise CheckError(f"DNS: {name} {rdtype} via {via}: {exc}") from exc
    return Lookup(name, rdtype, tuple(sorted(r.to_text() for r in answer)), via, "answer")
