"""1.5 in the configuration: the inbox namespace's mailboxes carry the expected special_use
and auto settings (the wire suite checks what a client then sees)."""

from __future__ import annotations

import pytest


def _inbox_mailboxes(config) -> dict:
    inbox = next((n for n in config.find("namespace") if n.get("inbox") == "yes"), None)
    assert inbox is not None, "no namespace with inbox = yes"
    return {m.name: m for m in inbox.find("mailbox")}


@pytest.mark.requirement("MBOX-SPECIAL-USE")
def test_special_use_mailboxes_are_defined(facts, evidence):
    boxes = _inbox_mailboxes(facts.config)
    wanted = facts.host.expect.special_use
    evidence.add("inbox namespace mailboxes", "\n".join(m.render() for m in boxes.values()))
    wrong = {
        name: boxes[name].get("special_use") if name in boxes else "undefined"
        for attr, name in wanted.items()
        if name not in boxes or attr not in boxes[name].get("special_use").split()
    }
    assert not wrong, f"mailboxes without their special_use: {wrong}"


@pytest.mark.requirement("MBOX-AUTO-SUBSCRIBE")
def test_auto_settings_are_as_expected(facts, evidence):
    boxes = _inbox_mailboxes(facts.config)
    got = {
        name: boxes[name].get("auto", "no") if name in boxes else "no"
        for name in facts.host.expect.auto
    }
    evidence.add("auto per mailbox", got)
    wrong = {n: m for n, m in got.items() if m != facts.host.expect.auto[n]}
    assert not wrong, f"auto differs from {dict(facts.host.expect.auto)}: {wrong}"


@pytest.mark.requirement("MBOX-OTHER-MAILBOXES")
def test_other_mailboxes_are_the_ones_the_inventory_expects(facts, evidence):
    """Optional in the guide: mailboxes with no special use. The inventory says which the
    site defines, so one that appears or vanishes unannounced is noticed."""
    boxes = _inbox_mailboxes(facts.config)
    other = {n: m.get("auto", "no") for n, m in boxes.items() if not m.get("special_use")}
    expected = dict(facts.host.expect.other_mailboxes)
    if not other and not expected:
        pytest.skip("optional in the guide: no other mailbox defined, and none expected")
    evidence.add("other mailboxes (name: auto)", other)
    assert other == expected, (
        f"mailboxes without special use {other}; the inventory expects {expected} "
        "(expect.other_mailboxes)"
    )
