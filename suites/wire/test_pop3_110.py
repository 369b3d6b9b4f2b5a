"""Table 1.1, POP3: port 110, STARTTLS (STLS), PLAIN; no plain text authentication before TLS."""

import pytest

from dovecheck.errors import refused_login
from dovecheck.refusal import decoy, judge

CONN = pytest.mark.requirement("CONN-POP3-STARTTLS")
# The footnote both ways: the server refuses clear text, so credentials only travel in TLS.
NO_PLAINTEXT = pytest.mark.requirement("CONN-NO-PLAINTEXT-AUTH", "CONN-CREDS-IN-TLS")


@CONN
def test_pop3_110_offers_stls(pop3_110):
    caps = pop3_110.capabilities()
    assert "STLS" in caps, f"STLS missing from CAPA {sorted(caps)}"


@NO_PLAINTEXT
def test_pop3_110_refuses_user_pass_before_tls(pop3_110):
    reply = pop3_110.reply(f"USER {decoy().user}")
    judge(reply, "USER/PASS", invited=reply.startswith("+OK"))


@NO_PLAINTEXT
def test_pop3_110_refuses_auth_plain_before_tls(pop3_110):
    reply = pop3_110.reply("AUTH PLAIN")
    invited = reply.startswith("+") and not reply.startswith("+OK")
    if invited:
        reply += " / " + pop3_110.reply("*")
    judge(reply, "AUTH PLAIN", accepted=reply.startswith("+OK"), invited=invited)


@CONN
def test_pop3_110_logs_in_with_plain_after_stls(pop3_110, verified_context, account):
    pop3_110.stls_verified(verified_context)
    reply = pop3_110.authenticate_plain(*account)
    assert reply.startswith("+OK"), refused_login("AUTH PLAIN after STLS", account[0], repr(reply))
