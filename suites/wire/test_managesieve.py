"""1.8: ManageSieve on 4190 with TLS and PLAIN, never credentials in clear, and scripts that
upload, check, activate and list. The account's own active script is restored."""

from __future__ import annotations

import secrets

import pytest

from dovecheck.clients.sieve import quoted
from dovecheck.errors import refused_login
from dovecheck.refusal import judge

GOOD = b'require "fileinto";\r\nif header :contains "subject" "dovecheck" { fileinto "Junk"; }\r\n'
BROKEN = b"if dovecheck_no_such_test { keep; }\r\n"


@pytest.mark.requirement("SIEVE-TLS-PLAIN")
def test_4190_offers_starttls_then_plain_logs_in(sieve4190, verified_context, account):
    assert "STARTTLS" in sieve4190.caps, f"STARTTLS not offered: {sorted(sieve4190.caps)}"
    sieve4190.starttls(verified_context)
    assert "PLAIN" in sieve4190.sasl, f"PLAIN not offered after STARTTLS: {sieve4190.sasl}"
    reply = sieve4190.authenticate_plain(*account)
    assert reply.ok, refused_login(
        "AUTHENTICATE PLAIN after STARTTLS", account[0], f"{reply.status} {reply.text}"
    )


@pytest.mark.requirement("SIEVE-NO-PLAINTEXT")
def test_4190_takes_no_credentials_before_tls(sieve4190):
    invited, reply, seen = sieve4190.open_plain_exchange()
    text = f"{reply.status} {reply.text}" if reply else seen
    judge(
        text,
        'AUTHENTICATE "PLAIN"',
        accepted=bool(reply and reply.ok and not invited),
        invited=invited,
    )


@pytest.mark.requirement("SIEVE-UPLOAD")
def test_scripts_upload_check_activate_and_list(sieve_session):
    name = f"dovecheck-{secrets.token_hex(4)}"
    reply = sieve_session.command(f"PUTSCRIPT {quoted(name)}", GOOD)
    assert reply.ok, f"PUTSCRIPT of a valid script: {reply.status} {reply.text}"
    assert sieve_session.command("CHECKSCRIPT", GOOD).ok, "CHECKSCRIPT rejects a valid script"
    broken = sieve_session.command("CHECKSCRIPT", BROKEN)
    assert broken.status == "NO", f"CHECKSCRIPT accepted a broken script: {broken.text}"
    assert sieve_session.command(f"SETACTIVE {quoted(name)}").ok, "SETACTIVE failed"
    listing = sieve_session.command("LISTSCRIPTS")
    assert f'"{name}" ACTIVE' in listing.lines, f"LISTSCRIPTS: {listing.lines}"
