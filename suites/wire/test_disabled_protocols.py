"""1.7: a protocol switched off is really closed: its ports refuse (or drop) connections,
over IPv4 and IPv6, from where the clients are."""

from __future__ import annotations

import pytest

from dovecheck.errors import Unreachable
from dovecheck.listeners import disabled_ports
from dovecheck.tlsprobe import connect


@pytest.mark.requirement("PROTO-DISABLED-CLOSED")
def test_ports_of_disabled_protocols_do_not_answer(endpoint, evidence):
    disabled = disabled_ports(endpoint.host.expect)
    if not disabled:
        pytest.skip(f"no protocol is disabled on {endpoint.host.name}")
    open_ports = []
    for protocol, ports in disabled.items():
        for port in ports:
            try:
                connect(endpoint.address, port, min(endpoint.host.timeout, 3.0)).close()
            except Unreachable as exc:
                evidence.add(f"{protocol} port {port}", f"closed: {exc}")
            else:
                open_ports.append(f"{protocol}/{port}")
    assert not open_ports, f"disabled protocols still answer on {endpoint.address}: {open_ports}"
