"""SELinux steps of 1.1.3 (mail root labelled mail_spool_t) and 1.4 (nis_enabled on).

They apply only where SELinux is enabled; elsewhere they skip and say so. The
judgement itself is unit-tested on recorded RHEL output (tests/unit/test_selinux.py).
"""

from __future__ import annotations

import pytest

from dovecheck import selinux
from dovecheck.mailconf import effective, mail_location


@pytest.fixture
def selinux_host(facts, evidence):
    state = facts.selinux_mode()
    evidence.add("getenforce", state)
    if state == "Disabled":
        pytest.skip(f"SELinux not enabled on {facts.host.name}")
    return facts


@pytest.mark.requirement("VUSER-SELINUX-CONTEXT")
def test_the_mail_root_is_labelled_mail_spool_t(selinux_host, evidence):
    loc = mail_location(selinux_host.config)
    root = loc.root if loc.per_user else selinux_host.host.expect.mail_root
    ls_z = selinux_host.run(["ls", "-Zd", "--", root], evidence, privileged=False)
    rules = None
    if root.rstrip("/") not in selinux.DEFAULT_MAIL_ROOTS:
        rules = selinux_host.run(["semanage", "fcontext", "-l"])
        evidence.add(
            "semanage fcontext -l (rules for the mail root)",
            [r for r in selinux.fcontext_rules(rules) if r.covers(root)],
        )
    problems = selinux.mail_root_problems(root, ls_z, rules)
    assert not problems, "; ".join(problems)


@pytest.mark.requirement("REPL-SELINUX-NIS")
def test_nis_enabled_is_on_where_replication_is_configured(selinux_host, evidence):
    plugins = effective(selinux_host.config, "mail_plugins")
    if "replication" not in plugins.split():
        pytest.skip(f"replication is not configured on {selinux_host.host.name}")
    out = selinux_host.run(["getsebool", "nis_enabled"], evidence, privileged=False)
    assert selinux.booleans(out).get("nis_enabled"), (
        "nis_enabled is off: Dovecot cannot open the doveadm port (setsebool -P nis_enabled on)"
    )
