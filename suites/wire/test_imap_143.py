"""Table 1.1, IMAP: port 143, STARTTLS, PLAIN; and no plain text authentication before TLS."""

import pytest

from dovecheck.errors import refused_login
from dovecheck.refusal import decoy, judge

CONN = pytest.mark.requirement("CONN-IMAP-STARTTLS")
# The footnote both ways: the server refuses clear text, so credentials only travel in TLS.
NO_PLAINTEXT = pytest.mark.requirement("CONN-NO-PLAINTEXT-AUTH", "CONN-CREDS-IN-TLS")


@CONN
def test_imap_143_offers_starttls(imap143):
    assert "STARTTLS" in imap143.caps, f"STARTTLS missing from CAPABILITY {sorted(imap143.caps)}"


@NO_PLAINTEXT
def test_imap_143_advertises_logindisabled_before_tls(imap143):
    assert "LOGINDISABLED" in imap143.caps, (
        f"LOGINDISABLED missing before TLS: CAPABILITY {sorted(imap143.caps)}"
    )


@NO_PLAINTEXT
def test_imap_143_refuses_login_before_tls(imap143):
    d = decoy()
    status, text = imap143.command("LOGIN", d.user, d.password)
    judge(f"{status} {text.decode(errors='replace')}", "LOGIN", accepted=status == "OK")


@NO_PLAINTEXT
def test_imap_143_refuses_authenticate_plain_before_tls(imap143):
    status, text = imap143.command("AUTHENTICATE", "PLAIN")
    judge(
        f"{status} {text.decode(errors='replace')}",
        "AUTHENTICATE PLAIN",
        accepted=status == "OK",
        invited=imap143.invited,
    )


@CONN
def test_imap_143_logs_in_with_plain_after_starttls(imap143, verified_context, account):
    imap143.starttls_verified(verified_context)
    assert "AUTH=PLAIN" in imap143.caps, f"AUTH=PLAIN not offered after STARTTLS: {imap143.caps}"
    status, text = imap143.authenticate_plain(*account)
    assert status == "OK", refused_login(
        "AUTHENTICATE PLAIN after STARTTLS", account[0], f"{status} {text!r}"
    )
    status, text = imap143.command("EXAMINE", "INBOX")
    assert status == "OK", f"logged in, but the INBOX does not open: {status} {text!r}"
