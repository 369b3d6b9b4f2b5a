"""Who firewalld admits to a port, judged on `firewall-cmd --list-all-zones` output as
firewalld 1.3 prints it (the lab's server1, and variations)."""

from __future__ import annotations

from dovecheck import firewall

ZONES = """block
  target: %%REJECT%%
  icmp-block-inversion: no
  interfaces:
  sources:
  services:
  ports:
  rich rules:

public (active)
  target: default
  icmp-block-inversion: no
  interfaces:
  sources:
  services: dhcpv6-client imap imaps managesieve pop3 pop3s ssh
  ports: {ports}
  protocols:
  forward: yes
  masquerade: no
  forward-ports:
  source-ports:
  icmp-blocks:
  rich rules:
\trule family="ipv4" source address="198.51.100.12/32" port port="12345" protocol="tcp" accept
\trule family="ipv6" source address="2001:db8:100::12/128" port port="12345" protocol="tcp" accept
\trule family="ipv4" source address="{lmtp4}" port port="24" protocol="tcp" accept
\trule family="ipv6" source address="2001:db8:100::25/128" port port="24" protocol="tcp" accept

trusted
  target: ACCEPT
  interfaces:
  sources: {trusted}
  services:
  ports:
  rich rules:
"""
PARTNER = {"198.51.100.12", "2001:db8:100::12"}
MTA = {"198.51.100.25", "2001:db8:100::25"}


def zones(ports: str = "", lmtp4: str = "198.51.100.25/32", trusted: str = ""):
    text = ZONES.format(ports=ports, lmtp4=lmtp4, trusted=trusted)
    return firewall.parse_zones(text, "public")


def test_the_guides_rich_rules_admit_the_partner_alone():
    admitted = firewall.admission(zones(), 12345)
    assert not admitted.everyone
    assert firewall.too_wide(admitted, PARTNER) == []
    assert firewall.missing(admitted, PARTNER) == []


def test_services_open_the_client_ports_to_everyone():
    z = zones()
    assert {"imap", "imaps", "pop3", "pop3s", "managesieve"} <= z["public"].services
    assert firewall.admission(z, 4190).everyone
    assert not firewall.admission(z, 24).everyone


def test_a_port_opened_in_the_zone_is_too_wide_though_the_partner_gets_through():
    admitted = firewall.admission(zones(ports="12345/tcp"), 12345)
    assert admitted.everyone
    assert firewall.too_wide(admitted, PARTNER)
    assert firewall.missing(admitted, PARTNER) == []


def test_a_subnet_source_is_too_wide():
    problems = firewall.too_wide(firewall.admission(zones(lmtp4="198.51.100.0/24"), 24), MTA)
    assert problems and "256 addresses" in problems[0]


def test_a_missing_rule_is_named():
    assert firewall.missing(firewall.admission(zones(), 12345), {"198.51.100.99"}) == [
        "198.51.100.99"
    ]


def test_a_source_bound_zone_admits_its_sources_only():
    z = zones(trusted="203.0.113.0/24")
    assert z["trusted"].items("sources") == ["203.0.113.0/24"]
    admitted = firewall.admission(z, 12345)
    assert not admitted.everyone  # target ACCEPT applies to its sources, not to everyone
    assert any(s == "203.0.113.0/24" for s, _ in admitted.sources)


def test_runtime_and_permanent_compare_without_interfaces():
    runtime, permanent = zones(), zones()
    permanent["public"].fields["interfaces"] = "eth0"
    assert runtime["public"].comparable() == permanent["public"].comparable()
    assert zones(ports="1/tcp")["public"].comparable() != runtime["public"].comparable()


def test_rich_rule_parsing():
    rule = firewall.RichRule.parse(
        'rule family="ipv6" source NOT address="2001:db8::/32" service name="lmtp" accept'
    )
    assert rule.family == "ipv6" and rule.source_inverted and rule.opens(24)
    assert not firewall.RichRule.parse('rule port port="24" protocol="tcp" reject').opens(24)
