"""Firewall scope (1.1.5, 1.4, 1.6, 1.7, 1.8): inspected through firewall-cmd AND probed.

Inspection reads firewalld's zones; probes connect over IPv4 and IPv6: from the auditor
(the outsider) to the client ports, which must answer, and to 12345 and 24, which must not;
and from the replication partner and the SMTP server, through their SSH connections
(direct-tcpip: nothing runs there), to the port the firewall admits them to. A rule wider
than the guide's /32 and /128 fails even though the partner still gets through.
"""

from __future__ import annotations

import pytest

from dovecheck import firewall, jump, tlsprobe
from dovecheck.errors import Unreachable
from dovecheck.hostfacts import HostFacts
from dovecheck.inventory import Host
from dovecheck.listeners import disabled_ports
from dovecheck.plugin.options import inventory_host
from dovecheck.replication import DOVEADM_PORT
from dovecheck.services import LMTP
from fixtures.targets import _facts_of


def _services_problems(fw, services: tuple[str, ...], evidence) -> list[str]:
    everyone = [z for z in fw.zones.values() if z.applies_to_everyone]
    opened = set().union(*(z.services for z in everyone)) if everyone else set()
    evidence.add("services open to clients", sorted(opened))
    return [f"service {s} is not open" for s in services if s not in opened]


def _auditor_reaches(host: Host, port: int) -> dict[str, str]:
    """{family: outcome} of a TCP connection from here (the auditor) to each address."""
    return {
        family: tlsprobe.connect_outcome(address, port, firewall.probe_timeout(host))
        for family, address in host.addresses.families().items()
    }


def _client_ports_answer(host: Host, services: tuple[str, ...], evidence) -> list[str]:
    problems = []
    for service in services:
        for port in firewall.SERVICE_PORTS[service]:
            seen = _auditor_reaches(host, port)
            evidence.add(f"from the auditor to port {port} ({service})", seen)
            problems += [
                f"{service} port {port} ({f}): {o}" for f, o in seen.items() if o != "connected"
            ]
    return problems


def _client_services(host: Host, protocols: tuple[str, ...]) -> tuple[str, ...]:
    expected = [p for p in protocols if p in host.expect.protocols]
    if not expected:
        pytest.skip(f"none of {list(protocols)} is expected on {host.name}")
    return tuple(s for p in expected for s in firewall.PROTOCOL_SERVICES[p])


@pytest.mark.requirement("SVC-FIREWALL-PORTS")
def test_the_firewall_opens_the_imap_and_pop3_services(facts, host_firewall, evidence):
    services = _client_services(facts.host, ("imap", "pop3"))
    problems = _services_problems(host_firewall, services, evidence)
    problems += _client_ports_answer(facts.host, services, evidence)
    assert not problems, "; ".join(problems)


@pytest.mark.requirement("SIEVE-FIREWALL")
def test_the_firewall_opens_the_managesieve_service(facts, host_firewall, evidence):
    services = _client_services(facts.host, ("sieve",))
    problems = _services_problems(host_firewall, services, evidence)
    problems += _client_ports_answer(facts.host, services, evidence)
    assert not problems, "; ".join(problems)


@pytest.mark.requirement("PROTO-DISABLED-CLOSED")
def test_the_services_of_disabled_protocols_are_removed(facts, host_firewall, evidence):
    disabled = disabled_ports(facts.host.expect)
    if not disabled:
        pytest.skip(f"no protocol is disabled on {facts.host.name}")
    services = [s for p in disabled for s in firewall.PROTOCOL_SERVICES[p]]
    still = {
        port: [w for w in firewall.admission(host_firewall.zones, port).everyone]
        for p in disabled
        for port in disabled[p]
    }
    still = {port: where for port, where in still.items() if where}
    evidence.add(f"disabled protocols' services {services}, still open", still or "none")
    assert not still, f"the firewall still opens ports of disabled protocols: {still}"


@pytest.mark.requirement("SVC-FIREWALL-RELOADED")
def test_the_runtime_firewall_is_the_permanent_one(facts, host_firewall, evidence):
    permanent = host_firewall.permanent(evidence)
    runtime = host_firewall.zones
    differ = {
        name: {
            "runtime": runtime[name].comparable() if name in runtime else None,
            "permanent": zone.comparable(),
        }
        for name, zone in permanent.items()
        if name not in runtime or runtime[name].comparable() != zone.comparable()
    }
    differ |= {n: "only in the runtime" for n in runtime if n not in permanent}
    evidence.add("zones whose runtime differs from the permanent configuration", differ or "none")
    assert not differ, f"firewall-cmd --reload was not run: {sorted(differ)} differ"


def _only_hosts_reach(
    facts: HostFacts, fw, port: int, allowed_hosts: list[Host], pool, evidence
) -> None:
    """Inspect (rules name exactly the allowed addresses) and probe (they get through, the
    auditor does not), per address family."""
    __tracebackhide__ = True
    host = facts.host
    allowed = {a for h in allowed_hosts for a in h.addresses.families().values()}
    allowed |= set(host.expect.allowed_sources.get(port, []))
    admitted = fw.admits(port, evidence)
    problems = firewall.too_wide(admitted, allowed)
    problems += [f"no rule admits {a} (/32 or /128)" for a in firewall.missing(admitted, allowed)]
    for other in allowed_hosts:
        via = _facts_of(other, pool).ssh.backend
        _ = via.client  # an SSH failure to the neighbour is the harness's error, not a finding
        for family, address in host.addresses.families().items():
            if family not in other.addresses.families():
                continue
            try:
                jump.connect_from(via, address, port, firewall.probe_timeout(host)).close()
                evidence.add(f"from {other.name} to {address} port {port}", "connected")
            except Unreachable as exc:
                evidence.add(f"from {other.name} to {address} port {port}", str(exc))
                problems.append(f"{other.name} cannot reach port {port} over {family}")
    outsider = _auditor_reaches(host, port)
    evidence.add(f"from the auditor (an outsider) to port {port}", outsider)
    problems += [
        f"the auditor reaches port {port} over {f}" for f, o in outsider.items() if o == "connected"
    ]
    assert not problems, "; ".join(problems)


@pytest.mark.requirement("REPL-FIREWALL")
def test_only_the_partner_reaches_the_replication_port(
    facts, partner, host_firewall, _facts_pool, evidence
):
    _only_hosts_reach(facts, host_firewall, DOVEADM_PORT, [partner], _facts_pool, evidence)


@pytest.mark.requirement("LMTP-FIREWALL")
def test_only_the_smtp_server_reaches_the_lmtp_port(
    facts, host_firewall, _facts_pool, request, evidence
):
    expect = facts.host.expect
    if "lmtp" not in expect.protocols or expect.lmtp != "port":
        pytest.skip(f"no LMTP service on a port expected on {facts.host.name}")
    if expect.smtp_server is None:
        pytest.skip(f"no SMTP server in the inventory for {facts.host.name}")
    mta = inventory_host(request.config, expect.smtp_server)
    _only_hosts_reach(facts, host_firewall, LMTP.port, [mta], _facts_pool, evidence)
