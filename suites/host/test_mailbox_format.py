"""The introduction: Dovecot stores mail in dbox (the high-performance format), or in mbox
or Maildir for compatibility. Any other driver (cydir, imapc, an autodetected location) is
outside what the guide sets up and supports."""

from __future__ import annotations

import pytest

from dovecheck.mailconf import mail_location
from dovecheck.versions import require_23_settings

GUIDE_FORMATS = {"sdbox": "dbox", "mdbox": "dbox", "mbox": "mbox", "maildir": "Maildir"}


@pytest.mark.requirement("INTRO-MAILBOX-FORMATS")
def test_mailboxes_are_stored_as_dbox_mbox_or_maildir(facts, evidence):
    require_23_settings(facts.config, "mail_location")
    locations = {"mail_location": mail_location(facts.config).format}
    for ns in facts.config.find("namespace"):  # a namespace may store its mail elsewhere
        if ns.get("location"):
            locations[f"namespace {ns.name} location"] = ns.get("location").partition(":")[0]
    evidence.add("mailbox formats", locations)
    wrong = {k: f or "unset (autodetected at each login)" for k, f in locations.items()}
    wrong = {k: v for k, v in wrong.items() if v.lower() not in GUIDE_FORMATS}
    assert not wrong, f"not dbox, mbox or Maildir: {wrong}"
