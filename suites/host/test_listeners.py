"""1.7 verification: `ss -tulp | grep dovecot` shows exactly the ports of enabled protocols."""

from __future__ import annotations

import pytest

from dovecheck.listeners import dovecot_ports, expected_ports


@pytest.mark.requirement("PROTO-LISTENERS")
def test_dovecot_listens_on_exactly_the_expected_ports(facts, evidence):
    listening = dovecot_ports(facts.listeners)
    expected = expected_ports(facts.host.expect)
    evidence.add(
        "dovecot's listening TCP ports", f"{sorted(listening)}; expected {sorted(expected)}"
    )
    assert listening == expected, (
        f"unexpected {sorted(listening - expected)}, missing {sorted(expected - listening)}"
    )
