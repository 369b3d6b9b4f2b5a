"""1.6 and 1.8: the SMTP server reaches the LMTP service over STARTTLS, what it delivers is
readable over IMAP and POP3, and an uploaded Sieve script acts on delivered mail.

Deliveries go to the test account only, and every delivered message is removed again."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from dovecheck.clients.sieve import quoted
from dovecheck.errors import CheckError, Finding
from dovecheck.message import probe_message


@pytest.mark.requirement("LMTP-STARTTLS")
def test_lmtp_offers_starttls_and_it_verifies(lmtp24, verified_context):
    features = lmtp24.lhlo()
    assert "STARTTLS" in features, f"LHLO does not offer STARTTLS: {sorted(features)}"
    lmtp24.starttls_verified(verified_context)
    assert lmtp24.lhlo(), "no LHLO reply after STARTTLS"


def _secured(lmtp, ctx) -> None:
    try:
        lmtp.lhlo()
        lmtp.starttls_verified(ctx)
    except Finding as exc:  # LMTP-STARTTLS judges it; here it means no delivery to test
        raise CheckError(f"cannot deliver as the guide's SMTP server would: {exc}") from exc


def _find(imap, folder: str, message_id: str) -> list[int]:
    imap.select_folder(folder)
    return imap.search(["HEADER", "Message-ID", message_id])


@pytest.fixture
def delivered(imap_session) -> Iterator[list[str]]:
    """Message-IDs this check delivered; removed from INBOX afterwards, whatever happened
    (test mailboxes go with imap_session's own cleanup)."""
    ids: list[str] = []
    yield ids
    for message_id in ids:
        found = _find(imap_session, "INBOX", message_id)
        if found:
            imap_session.delete_messages(found)
            imap_session.expunge()


def _pop3_message_ids(pop3, account) -> set[str]:
    reply = pop3.authenticate_plain(*account)
    if not reply.startswith("+OK"):
        raise CheckError(f"no POP3 session to read with: {reply}")
    count = int(pop3.stat()[0])
    seen = set()
    for n in range(1, count + 1):
        for line in pop3.top(n, 0)[1]:
            if line.lower().startswith(b"message-id:"):
                seen.add(line.split(b":", 1)[1].strip().decode(errors="replace"))
    return seen


@pytest.mark.requirement("LMTP-DELIVERY")
def test_delivered_mail_is_readable_over_imap_and_pop3(
    lmtp24, verified_context, account, imap_session, delivered, endpoint, request
):
    _secured(lmtp24, verified_context)
    message_id, message = probe_message(account[0], "dovecheck LMTP delivery")
    delivered.append(message_id)
    code, text = lmtp24.deliver("dovecheck@dovecheck.invalid", account[0], message)
    assert code == 250, f"LMTP refused the delivery to {account[0]}: {code} {text}"
    assert _find(imap_session, "INBOX", message_id), f"{message_id} is not in INBOX over IMAP"
    if "pop3" in endpoint.host.expect.protocols:
        try:
            pop3 = request.getfixturevalue("pop3_995")
        except Finding as exc:  # CONN-POP3S-TLS judges it; here it means nothing to read with
            raise CheckError(f"no POP3 session on port 995 to read with: {exc}") from exc
        seen = _pop3_message_ids(pop3, account)
        assert message_id in seen, f"{message_id} is not in the POP3 maildrop"


@pytest.mark.requirement("SIEVE-FILTER-ACTS")
def test_a_fileinto_rule_files_delivered_mail(
    lmtp24, verified_context, account, imap_session, delivered, sieve_session
):
    _secured(lmtp24, verified_context)
    token = secrets.token_hex(4)
    folder = f"dovecheck-sieve-{token}"
    imap_session.create_folder(folder)
    script = (
        'require "fileinto";\r\n'
        f'if header :contains "Subject" "dovecheck-{token}" {{ fileinto {quoted(folder)}; }}\r\n'
    ).encode()
    name = f"dovecheck-{token}"
    reply = sieve_session.command(f"PUTSCRIPT {quoted(name)}", script)
    if not reply.ok:
        raise CheckError(f"cannot upload the filter (SIEVE-UPLOAD): {reply.status} {reply.text}")
    if not sieve_session.command(f"SETACTIVE {quoted(name)}").ok:
        raise CheckError("cannot activate the filter (SIEVE-UPLOAD)")
    message_id, message = probe_message(account[0], f"dovecheck-{token} filter probe")
    delivered.append(message_id)
    code, text = lmtp24.deliver("dovecheck@dovecheck.invalid", account[0], message)
    if code != 250:
        raise CheckError(f"LMTP refused the probe (LMTP-DELIVERY): {code} {text}")
    in_folder = _find(imap_session, folder, message_id)
    in_inbox = _find(imap_session, "INBOX", message_id)
    assert in_folder and not in_inbox, (
        f"the script's fileinto did not act: message in {folder}: {bool(in_folder)}, "
        f"in INBOX: {bool(in_inbox)}"
    )
