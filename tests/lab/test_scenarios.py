"""Every check passes on the reference host and fails on the host built to break it."""

from __future__ import annotations

import re

import pytest

from .conftest import dovecot_errors
from .scenarios import REFERENCE, REFERENCE_PARTNERS, REFERENCES, load_scenarios, not_built_for

SCENARIOS = load_scenarios()
# Skipped on the reference host, with the reason, because they do not apply there.
REFERENCE_OPTIONAL = {
    "PAM-LAST-VALID-UID": "optional in the guide, not set on the reference",
    "REPL-CONF-PERMS": "no replication on the single reference host",
    "VUSER-SELINUX-CONTEXT": "the lab's kernel has no SELinux",
    "REPL-SELINUX-NIS": "the lab's kernel has no SELinux",
    "PROTO-DISABLED-CLOSED": "every protocol is enabled on the reference",
    "MBOX-OTHER-MAILBOXES": "optional in the guide, none defined on the reference",
    "LDAP-FILTER-UNIQUE": "ldap2 finds users by the DN template: no pass_filter search",
}
# A requirement of another auth backend skips, with this in its reason ("auth backend of
# server1 is pam, not ldap (inventory)"): the reference passes what its backend asks.
BACKEND_SKIP = re.compile(r"auth backend of \S+ is \w+, not \w+")
# Their fail cases cannot be built in the lab; the judgement is proven on recorded output.
PROVEN_BY_UNIT_TESTS = {
    "VUSER-SELINUX-CONTEXT": "tests/unit/test_selinux.py",
    "REPL-SELINUX-NIS": "tests/unit/test_selinux.py",
    # the lab's one MariaDB serves TLS to every SQL host; a greeting without TLS is recorded
    "SQL-SERVER-TLS": "tests/unit/test_backends.py",
}


# a reference host's replication partner, whose log tells about the pair's syncs
PARTNER_OF = {REFERENCE: "server2", **REFERENCE_PARTNERS}


def _checked(rows: dict[str, dict]) -> dict[str, str]:
    return {rid: r["verdict"] for rid, r in rows.items() if r["verdict"] != "not-checked"}


@pytest.mark.parametrize("reference", REFERENCES)
def test_reference_host_passes_every_check(audit, reference):
    """Pass everywhere; a skip only for an optional setting the guide's setup leaves out."""
    verdicts = _checked(audit[reference])
    assert verdicts, f"the reference host {reference} produced no verdicts"
    unbuilt = not_built_for(reference)

    def excused(rid: str, v: str) -> bool:
        reason = audit[reference][rid]["reason"] or ""
        return v == "skip" and (rid in unbuilt or bool(BACKEND_SKIP.search(reason)))

    bad = {
        rid: (v, audit[reference][rid]["reason"])
        for rid, v in verdicts.items()
        if v != "pass" and rid not in REFERENCE_OPTIONAL and not excused(rid, v)
    }
    assert not bad, f"reference host {reference} does not pass: {bad}\n" + dovecot_errors(
        reference, PARTNER_OF.get(reference)
    )
    assert all(verdicts[rid] in ("pass", "skip") for rid in REFERENCE_OPTIONAL if rid in verdicts)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_fails_its_checks_and_nothing_else(audit, scenario):
    reference = _checked(audit[scenario.reference])
    got = _checked(audit[scenario.name])
    wrong = {}
    # what the scenario names, too: a requirement the reference never got to (no check,
    # or a check that skipped) would otherwise be a claim nobody verifies
    named = scenario.fail | scenario.error | scenario.skip | scenario.passes
    for rid in sorted(reference.keys() | named):
        want = scenario.want(rid, reference.get(rid, "not-checked"))
        if got.get(rid) != want:
            wrong[rid] = f"want {want}, got {got.get(rid)}: {audit[scenario.name][rid]['reason']}"
    assert not wrong, f"{scenario.name} ({scenario.description}): {wrong}\n" + dovecot_errors(
        scenario.name, scenario.partner
    )


def test_every_check_is_proven_to_fail_somewhere(audit):
    """A check that cannot fail is a defect: each checked requirement fails in a scenario."""
    proven = set().union(*(s.fail for s in SCENARIOS)) | set(PROVEN_BY_UNIT_TESTS)
    checked = set().union(*(_checked(audit[r]) for r in REFERENCES))
    unproven = sorted((checked | set(REFERENCE_OPTIONAL)) - proven)
    assert not unproven, f"requirements whose checks no scenario makes fail: {unproven}"
