"""Listening sockets from `ss -Hltnp`, as Debian 12 prints them for the lab's server."""

from __future__ import annotations

from dovecheck.inventory import Expect
from dovecheck.listeners import dovecot_ports, expected_ports, parse_ss

SS = """LISTEN 0      100    0.0.0.0:4190 0.0.0.0:* users:(("dovecot",pid=80,fd=14))
LISTEN 0      128    0.0.0.0:22   0.0.0.0:* users:(("sshd",pid=77,fd=3))
LISTEN 0      100    0.0.0.0:143  0.0.0.0:* users:(("dovecot",pid=80,fd=42))
LISTEN 0      100       [::]:993     [::]:* users:(("dovecot",pid=80,fd=45))
LISTEN 0      4096 127.0.0.53%lo:53 0.0.0.0:* users:(("systemd-resolve",pid=9,fd=14))
"""


def test_parse_ss_keeps_address_port_and_process():
    listeners = parse_ss(SS)
    assert len(listeners) == 5
    assert listeners[3].address == "::" and listeners[3].port == 993
    assert dovecot_ports(listeners) == {143, 993, 4190}


def test_expected_ports_follow_protocols_lmtp_and_replication():
    assert expected_ports(Expect(protocols=["imap", "lmtp"])) == {143, 993}
    assert expected_ports(
        Expect(protocols=["imap", "pop3", "lmtp", "sieve"], lmtp="port", replication_partner="mx2")
    ) == {143, 993, 110, 995, 4190, 24, 12345}
