"""Introduction, "compliance with the IMAP standards": RFC 3501 behaviour on the test account.

Everything happens in a mailbox named dovecheck-*, created and removed by the test, so
the account's own mail is never touched.
"""

from __future__ import annotations

import secrets

import pytest

from dovecheck.idle import MESSAGE, WAIT, idle_sees_append
from dovecheck.services import IMAPS
from fixtures.wire import require_protocol

IMAP_STANDARDS = pytest.mark.requirement("INTRO-IMAP-STANDARDS")


@IMAP_STANDARDS
def test_capability_announces_imap4rev1(imap143):
    assert "IMAP4REV1" in imap143.caps, f"IMAP4rev1 not in CAPABILITY {sorted(imap143.caps)}"


@IMAP_STANDARDS
def test_append_select_fetch_store_uid_and_expunge_behave(imap_session):
    box = f"dovecheck-{secrets.token_hex(4)}"
    imap_session.create_folder(box)
    msgid = secrets.token_hex(8).encode()
    imap_session.append(box, MESSAGE % msgid, flags=[b"\\Seen"])
    selected = imap_session.select_folder(box)
    assert selected[b"EXISTS"] == 1, f"SELECT after APPEND: {selected}"
    uids = imap_session.search(["HEADER", "Message-ID", msgid.decode()])
    assert len(uids) == 1, f"UID SEARCH for the appended message: {uids}"
    fetched = imap_session.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])[uids[0]]
    assert (
        b"\\Seen" in fetched[b"FLAGS"]
        and b"dovecheck probe" in fetched[b"BODY[HEADER.FIELDS (SUBJECT)]"]
    ), f"FETCH: {fetched}"
    imap_session.add_flags(uids, [b"\\Deleted"])
    assert b"\\Deleted" in imap_session.get_flags(uids)[uids[0]], "STORE +FLAGS \\Deleted"
    imap_session.expunge()
    assert imap_session.select_folder(box)[b"EXISTS"] == 0, "EXPUNGE left the message"


@IMAP_STANDARDS
def test_idle_reports_a_message_appended_by_another_session(endpoint, account, evidence):
    """Observed by a probe the host's first check started (`dovecheck.idle`): Dovecot's
    half-second notification delay then overlaps the other checks."""
    require_protocol(endpoint, IMAPS)
    h = endpoint.host
    obs = idle_sees_append(endpoint.address, h.fqdn, IMAPS.port, h.timeout, h.ca_file, *account)
    for title, transcript in obs.transcripts:
        evidence.add(title, transcript)
    if obs.failure is not None:
        raise obs.failure
    assert obs.announced, "IDLE is not announced"
    assert obs.notified, f"no EXISTS during IDLE within {WAIT:g} s: {obs.seen}"
