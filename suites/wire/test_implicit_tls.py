"""Table 1.1, IMAPS on 993 and POP3S on 995: SSL/TLS from the first byte, then PLAIN."""

import pytest

from dovecheck.errors import refused_login


@pytest.mark.requirement("CONN-IMAPS-TLS")
def test_imaps_993_logs_in_with_plain_over_implicit_tls(imap993, account):
    assert "AUTH=PLAIN" in imap993.caps, f"AUTH=PLAIN not offered on 993: {imap993.caps}"
    status, text = imap993.authenticate_plain(*account)
    assert status == "OK", refused_login(
        "AUTHENTICATE PLAIN on 993", account[0], f"{status} {text!r}"
    )
    status, text = imap993.command("EXAMINE", "INBOX")
    assert status == "OK", f"logged in, but the INBOX does not open: {status} {text!r}"


@pytest.mark.requirement("CONN-POP3S-TLS")
def test_pop3s_995_logs_in_with_plain_over_implicit_tls(pop3_995, account):
    reply = pop3_995.authenticate_plain(*account)
    assert reply.startswith("+OK"), refused_login("AUTH PLAIN on 995", account[0], repr(reply))
