"""Introduction, "compliance with the IMAP standards": RFC 3501 behaviour on the test account.

Everything happens in a mailbox named dovecheck-*, created and removed by the test, so
the account's own mail is never touched.
"""

from __future__ import annotations

import secrets
import time

import pytest

IMAP_STANDARDS = pytest.mark.requirement("INTRO-IMAP-STANDARDS")
MESSAGE = (
    b"From: dovecheck <dovecheck@example.com>\r\nTo: test@example.com\r\n"
    b"Subject: dovecheck probe\r\nMessage-ID: <%s@dovecheck>\r\n\r\nprobe body\r\n"
)


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
def test_idle_reports_a_message_appended_by_another_session(imap_session, imap_session_2):
    assert b"IDLE" in imap_session.capabilities(), "IDLE is not announced"
    box = f"dovecheck-{secrets.token_hex(4)}"
    imap_session.create_folder(box)
    imap_session.select_folder(box)
    imap_session.idle()
    try:
        imap_session_2.append(box, MESSAGE % secrets.token_hex(8).encode())
        deadline, seen = time.monotonic() + 5, []
        while time.monotonic() < deadline and not any(b"EXISTS" in r for r in seen):
            seen += imap_session.idle_check(timeout=1)
    finally:
        imap_session.idle_done()
    assert any(b"EXISTS" in r for r in seen), f"no EXISTS during IDLE within 5 s: {seen}"
