"""1.6 and 1.7: LMTP is enabled, its socket exists with the guide's ownership and mode, and
it listens on port 24 exactly when the SMTP server is on another host."""

from __future__ import annotations

import pytest

from dovecheck import lmtpconf
from dovecheck.listeners import dovecot_ports


def _require_lmtp(facts) -> None:
    if "lmtp" not in facts.host.expect.protocols:
        pytest.skip(f"lmtp is not expected on {facts.host.name} (inventory expect.protocols)")


@pytest.mark.requirement("LMTP-PROTOCOL")
def test_lmtp_is_in_protocols(facts, evidence):
    _require_lmtp(facts)
    evidence.add("protocols", " ".join(facts.config.protocols))
    assert "lmtp" in facts.config.protocols, "protocols lacks lmtp (protocols = ... lmtp)"


@pytest.mark.requirement("LMTP-SOCKET")
def test_dovecot_created_the_lmtp_socket(facts, evidence):
    _require_lmtp(facts)
    path = lmtpconf.socket_path(facts.config)
    found = facts.stat_if_exists(path, evidence)
    assert found is not None, f"{path} does not exist"
    assert found.kind == "socket", f"{path} is a {found.kind}, not a socket"


@pytest.mark.requirement("LMTP-SOCKET-PERMS")
def test_lmtp_socket_has_the_expected_owner_and_mode(facts, evidence):
    _require_lmtp(facts)
    expect = facts.host.expect
    path = lmtpconf.socket_path(facts.config)
    found = facts.stat_if_exists(path, evidence)
    if found is None:
        pytest.skip(f"no LMTP socket {path} on {facts.host.name} (LMTP-SOCKET says why)")
    evidence.add("service lmtp", lmtpconf.describe(facts.config))
    owner = f"{found.owner}:{found.group}"
    assert found.mode & 0o007 == 0, (
        f"{path} is mode {found.mode:04o}: any local user can hand mail to Dovecot"
    )
    assert (owner, found.mode) == (expect.lmtp_socket_owner, int(expect.lmtp_socket_mode, 8)), (
        f"{path} is {owner} {found.mode:04o}; expected {expect.lmtp_socket_owner} "
        f"{expect.lmtp_socket_mode} (inventory expect.lmtp_socket_owner/mode)"
    )


@pytest.mark.requirement("LMTP-INET-LISTENER")
def test_lmtp_listens_on_port_24_for_a_remote_smtp_server(facts, evidence):
    _require_lmtp(facts)
    if facts.host.expect.lmtp != "port":
        pytest.skip(f"the SMTP server uses the LMTP socket on {facts.host.name}")
    configured = lmtpconf.inet_ports(facts.config)
    listening = dovecot_ports(facts.listeners)
    evidence.add("service lmtp", lmtpconf.describe(facts.config))
    evidence.add("dovecot's listening TCP ports", sorted(listening))
    assert 24 in configured, f"service lmtp has no inet_listener on port 24 (ports: {configured})"
    assert 24 in listening, "port 24 is configured but Dovecot does not listen on it"


@pytest.mark.requirement("PROTO-LMTP-PORT")
def test_an_lmtp_port_is_open_only_where_the_smtp_server_is_remote(facts, evidence):
    _require_lmtp(facts)
    configured = lmtpconf.inet_ports(facts.config)
    listening = dovecot_ports(facts.listeners)
    evidence.add("service lmtp", lmtpconf.describe(facts.config))
    evidence.add("dovecot's listening TCP ports", sorted(listening))
    if facts.host.expect.lmtp == "socket":
        assert not configured, (
            f"LMTP listens on port(s) {sorted(configured)}, though the SMTP server uses the "
            "socket (inventory expect.lmtp = socket): remove inet_listener lmtp"
        )
    open_lmtp = configured & listening
    assert open_lmtp == configured, f"configured LMTP port(s) not listening: {configured}"
