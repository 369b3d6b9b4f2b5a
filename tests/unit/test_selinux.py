"""The SELinux judgements, on output recorded from RHEL 9's getenforce, ls -Z, semanage
and getsebool: each passes on the guide's setup and fails on the deviation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dovecheck import selinux

SEMANAGE = (Path(__file__).parent / "data" / "rhel9" / "semanage-fcontext-l.txt").read_text()


@pytest.mark.parametrize(
    ("out", "want"),
    [
        ("Enforcing\n", "Enforcing"),
        ("Permissive\n", "Permissive"),
        ("Disabled\n", "Disabled"),
        ("", "Disabled"),
    ],
)
def test_getenforce(out, want):
    assert selinux.mode(out) == want


def test_ls_z_type():
    assert selinux.context_type("system_u:object_r:mail_spool_t:s0 /srv/vmail\n") == "mail_spool_t"
    assert selinux.context_type("") == ""


def test_fcontext_rules_and_the_persistent_type():
    rules = selinux.fcontext_rules(SEMANAGE)
    assert selinux.persistent_type(rules, "/srv/vmail/") == "mail_spool_t"
    assert selinux.persistent_type(rules, "/srv/mailstore") == ""  # <<None>>
    assert selinux.persistent_type(rules, "/var/mail") == "mail_spool_t"


def test_the_guides_custom_root_passes():
    ls = "system_u:object_r:mail_spool_t:s0 /srv/vmail"
    assert selinux.mail_root_problems("/srv/vmail/", ls, SEMANAGE) == []


def test_a_custom_root_without_the_label_fails():
    ls = "unconfined_u:object_r:var_t:s0 /srv/mailstore"
    problems = selinux.mail_root_problems("/srv/mailstore/", ls, SEMANAGE)
    assert len(problems) == 2 and "labelled var_t" in problems[0]


def test_a_chcon_label_without_a_rule_fails():
    """chcon sets the label, but the next restorecon takes it away."""
    ls = "unconfined_u:object_r:mail_spool_t:s0 /srv/mailstore"
    problems = selinux.mail_root_problems("/srv/mailstore/", ls, SEMANAGE)
    assert problems == [
        "no fcontext rule gives /srv/mailstore/ mail_spool_t (rule type: none); "
        "restorecon would undo the label"
    ]


def test_var_mail_needs_only_the_label():
    ls = "system_u:object_r:mail_spool_t:s0 /var/mail"
    assert selinux.mail_root_problems("/var/mail/", ls, None) == []


@pytest.mark.parametrize(
    ("out", "on"), [("nis_enabled --> on\n", True), ("nis_enabled --> off\n", False)]
)
def test_getsebool(out, on):
    assert selinux.booleans(out)["nis_enabled"] is on
