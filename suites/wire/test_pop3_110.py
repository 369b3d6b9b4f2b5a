"""Table 1.1, POP3: port 110, STARTTLS (STLS), PLAIN; and no plain text authentication before TLS."""

import pytest

from dovecheck.refusal import decoy, judge

CONN = pytest.mark.requirement("CONN-POP3-STARTTLS")
NO_PLAINTEXT = pytest.mark.requirement("CONN-NO-PLAINTEXT-AUTH")


@CONN
def test_pop3_110_offers_stls(pop3_110):
    caps = pop3_110.capabilities()
    assert "STLS" in caps, f"STLS missing from CAPA {sorted(caps)}"


@NO_PLAINTEXT
def test_pop3_110_refuses_user_pass_before_tls(pop3_110):
    d = decoy()
    reply = pop3_110.reply(f"USER {d.user}")
    if reply.startswith("+OK"):
        reply = pop3_110.reply(f"PASS {d.password}")
    judge(reply.startswith("+OK"), reply, "USER/PASS")


@NO_PLAINTEXT
def test_pop3_110_refuses_auth_plain_before_tls(pop3_110):
    d = decoy()
    reply = pop3_110.sasl_plain(d.user, d.password)
    judge(reply.startswith("+OK"), reply, "AUTH PLAIN")


@CONN
def test_pop3_110_logs_in_with_plain_after_stls(pop3_110, verified_context, account):
    pop3_110.stls_verified(verified_context)
    reply = pop3_110.authenticate_plain(*account)
    assert reply.startswith("+OK"), f"AUTH PLAIN after STLS: {reply!r}"
