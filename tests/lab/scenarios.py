"""Fail scenarios: a lab host per misconfiguration, and the verdicts it must produce.

Each directory under scenarios/ is a lab overlay (root/, setup.sh, started.sh) plus
scenario.yaml: `fail` lists the requirements that must fail there, `error` those
that must report "could not tell" (e.g. credentials withheld when TLS does not
verify), `skip` those that stop applying. Every other requirement must keep the
reference host's verdict, or be `others` when the scenario sets it (a host without
Dovecot can only produce errors).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from dovecheck import catalog

SCENARIO_DIR = Path(__file__).parent / "scenarios"

# Requirements that fall together, named with @ in scenario.yaml lists.
GROUPS = {
    # checks that need a logged-in IMAP session on 993 to test with
    "imap-session": {
        "INTRO-IMAP-STANDARDS",
        "MBOX-SPECIAL-USE-LIST",
        "MBOX-VISIBLE",
        "LMTP-DELIVERY",
        "SIEVE-FILTER-ACTS",
        "INTRO-SELF-HEALING",
    },
    # the logins the connection table and ManageSieve prove (993, 143, 995, 110, 4190)
    "logins": {
        "CONN-IMAP-STARTTLS",
        "CONN-IMAPS-TLS",
        "CONN-POP3-STARTTLS",
        "CONN-POP3S-TLS",
        "SIEVE-TLS-PLAIN",
    },
    # what needs a logged-in session to test with: without one, the harness cannot tell
    "after-login": {
        "INTRO-IMAP-STANDARDS",
        "MBOX-SPECIAL-USE-LIST",
        "MBOX-VISIBLE",
        "LMTP-DELIVERY",
        "SIEVE-FILTER-ACTS",
        "INTRO-SELF-HEALING",
        "SIEVE-UPLOAD",
    },
    # every check of a TLS service (the certificate, key exchange, versions): a closed port
    # makes them all errors
    "tls-probes": {
        "TLS-CLIENTS-TRUST-CA",
        "TLS-CERT-FQDN",
        "TLS-CERT-VALIDITY",
        "TLS-CERT-KEY-PATHS",
        "TLS-PFS",
        "TLS-DH-PARAMS",
        "TLS-SECURE-DEFAULTS",
    },
    # checks that read the effective configuration (doveconf -n)
    "config": {
        "SVC-AUTH-BACKEND",
        "SVC-PROTOCOLS",
        "TLS-CERT-FILE",
        "TLS-KEY-FILE",
        "TLS-CA-FILE",
        "TLS-ENABLED",
        "TLS-FILE-PREFIX",
        "TLS-CERT-KEY-PATHS",
        "TLS-CA-PATH",
        "TLS-DH-PATH",
        "TLS-DH-PARAMS",
        "TLS-KEY-PERMS",
        "VUSER-NOT-SYSTEM-USER",
        "VUSER-MAIL-LOCATION",
        "PAM-BACKEND",
        "PAM-USERDB-OVERRIDE",
        "PAM-FIRST-VALID-UID",
        "PAM-LAST-VALID-UID",
        "MBOX-SPECIAL-USE",
        "MBOX-AUTO-SUBSCRIBE",
        "SIEVE-PROTOCOL",
        "LMTP-PROTOCOL",
        "LMTP-SOCKET",
        "LMTP-SOCKET-PERMS",
        "LMTP-INET-LISTENER",
        "PROTO-LMTP-PORT",
        "INTRO-MAILBOX-FORMATS",
        "MBOX-OTHER-MAILBOXES",
        "SIEVE-IMAP-ENABLED",
    },
    # Profile groups: requirements judged only on hosts built with that lab profile. A
    # scenario on a host without the profile wants them `skip` (the harness skips them,
    # driven by the inventory: no replication partner, no host firewall expected), while
    # the reference, built with every profile, passes them.
    "pair": {
        "REPL-PLUGINS",
        "REPL-REPLICATOR",
        "REPL-REPLICATOR-SOCKET",
        "REPL-AGGREGATOR",
        "REPL-DOVEADM-PORT",
        "REPL-PASSWORD",
        "REPL-MAIL-REPLICA",
        "REPL-PAIRS-ONLY",
        "REPL-BOTH-PARTNERS",
        "REPL-SAME-BACKEND",
        "REPL-USER-LISTING",
        "REPL-CONF-FILE",
        "REPL-CONF-PERMS",
        "REPL-STATUS",
        "REPL-USER-STATUS",
        "REPL-CONVERGES",
        "REPL-FIREWALL",
    },
    "firewall": {
        "SVC-FIREWALL-PORTS",
        "SVC-FIREWALL-RELOADED",
        "SIEVE-FIREWALL",
        "LMTP-FIREWALL",
        "REPL-FIREWALL",
    },
}
PROFILE_GROUPS = ("pair", "firewall")
# The auth backend a profile sets up: a host on another backend skips the requirements of
# this one ("auth backend of HOST is pam, not ldap (inventory)").
_CATALOG_IDS = sorted(catalog.load())
GROUPS["ldap"] = {rid for rid in _CATALOG_IDS if rid.startswith("LDAP-")}
GROUPS["sql"] = {rid for rid in _CATALOG_IDS if rid.startswith("SQL-")}
BACKEND_PROFILES = {"ldap": ("ldap", "ldaptpl"), "sql": ("sql",)}


def _ids(values: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for v in values:
        out |= GROUPS[v[1:]] if v.startswith("@") else {v}
    return frozenset(out)


REFERENCE = "server1"  # the guide's section 1.1 (PAM); scenarios compare with it by default
# Reference hosts beyond the lab's defaults (server1, server2): name -> lab profile. A scenario
# built on another profile (scenario.yaml `profile:`) names its reference (`reference:`).
EXTRA_REFERENCES: dict[str, str] = {
    "ldap1": "ldap",  # 1.2.4 with a dynamic DN lookup (dn, dnpass, pass_filter)
    "ldap2": "ldaptpl",  # 1.2.4 with the DN template (auth_bind_userdn)
    # 1.3.4, and 1.4 as the guide wants it: a pair on one central backend (both partners log
    # in against the same MariaDB), with the firewall of 1.1.5 / 1.6 / 1.7 in each host
    "sql1": "sql+firewall+pair",
}
# A reference built with the pair profile replicates with its own partner, built the same.
REFERENCE_PARTNERS = {
    name: f"{name}-p" for name, profile in EXTRA_REFERENCES.items() if "pair" in profile
}
REFERENCES = (REFERENCE, *EXTRA_REFERENCES)


def not_built_for(reference: str) -> frozenset[str]:
    """Requirements of the profile groups a reference host was not built with: it skips
    them (server1 and sql1 carry every profile; ldap1 and ldap2 have no firewall or partner)."""
    if reference == REFERENCE:
        return frozenset()
    profiles = EXTRA_REFERENCES[reference].split("+")
    return _ids([f"@{g}" for g in PROFILE_GROUPS if g not in profiles])


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    description: str
    fail: frozenset[str]
    error: frozenset[str]
    skip: frozenset[str]
    passes: frozenset[str]  # pass here though the reference skips (e.g. a disabled protocol)
    keep: frozenset[str]  # keep the reference verdict even when `others` is set
    others: str | None  # the verdict every unlisted requirement must have, if not the reference's
    profile: str = "pam"  # the lab profiles the overlay is applied on, e.g. pam+firewall+pair
    reference: str = REFERENCE  # the host whose verdicts this one must keep
    ipv6: bool = False  # audited over IPv6 too (see IPV6_PROFILES and `ipv6:` in the yaml)

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self.profile.split("+"))

    @property
    def partner(self) -> str | None:
        """A pair scenario's partner: a host built like it, without the overlay, that
        replicates with it (its own, so that breaking the pair breaks no other host)."""
        return f"{self.name}-p" if "pair" in self.profiles else None

    def want(self, requirement: str, reference_verdict: str) -> str:
        for verdict, ids in (
            ("fail", self.fail),
            ("error", self.error),
            ("skip", self.skip),
            ("pass", self.passes),
        ):
            if requirement in ids:
                return verdict
        return reference_verdict if requirement in self.keep else self.others or reference_verdict


def _selected(path: Path) -> bool:
    """DOVECHECK_SCENARIOS=a,b limits a development run to some scenarios (and then the
    "every check is proven to fail" self-test cannot pass: CI never sets it)."""
    only = os.environ.get("DOVECHECK_SCENARIOS")
    return not only or path.name in only.split(",")


def load_scenarios() -> list[Scenario]:
    scenarios = []
    for path in sorted(
        p for p in SCENARIO_DIR.iterdir() if (p / "scenario.yaml").is_file() and _selected(p)
    ):
        meta = yaml.safe_load((path / "scenario.yaml").read_text())
        assert len(path.name) <= 13, f"{path.name}: scenario names become host names (<= 13)"
        assert meta.get("reference", REFERENCE) in REFERENCES, f"{path.name}: unknown reference"
        profiles = meta.get("profile", "pam").split("+")
        if "pair" in profiles:
            assert len(path.name) <= 11, f"{path.name}: its partner {path.name}-p must fit 13"
        # what a host without a profile's group cannot do, it skips (unless listed otherwise)
        skip = list(meta.get("skip", []))
        skip += [f"@{g}" for g in PROFILE_GROUPS if g not in profiles]
        skip += [f"@{b}" for b, ps in BACKEND_PROFILES.items() if not set(ps) & set(profiles)]
        scenarios.append(
            Scenario(
                path.name,
                path,
                meta["description"],
                _ids(meta.get("fail", [])),
                _ids(meta.get("error", [])),
                _ids(skip) - _ids(meta.get("fail", [])) - _ids(meta.get("error", [])),
                _ids(meta.get("pass", [])),
                _ids(meta.get("keep", [])),
                meta.get("others"),
                meta.get("profile", "pam"),
                meta.get("reference", REFERENCE),
                bool(meta.get("ipv6", False)) or bool(IPV6_PROFILES & set(profiles)),
            )
        )
    return scenarios


# Scenario hosts are audited over IPv4 only, unless their scenario is about addresses
# (`ipv6: true` in scenario.yaml: DNS, listeners, closed ports) or their profile admits a
# partner or an SMTP server by address (firewall rules, mail_replica), where each family
# is its own rule. A check's code is the same for both families; the reference hosts prove
# every check passes over both, and skipping the second family on ninety hosts takes
# a third off the self-test run (two cores).
IPV6_PROFILES = {"firewall", "pair"}


def ipv4_only_hosts() -> list[str]:
    return [s.name for s in load_scenarios() if not s.ipv6]
