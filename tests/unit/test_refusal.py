"""The plaintext-refusal judge: refused for lack of TLS passes; evaluated fails; else error."""

from __future__ import annotations

import pytest

from dovecheck.errors import CheckError
from dovecheck.refusal import judge


def test_privacy_required_passes():
    judge("NO [PRIVACYREQUIRED] Plaintext authentication disallowed", "LOGIN")


def test_pop3_plaintext_refusal_passes():
    judge(
        "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
        "USER/PASS",
    )


@pytest.mark.parametrize(
    ("reply", "kw"),
    [
        ("NO [AUTHENTICATIONFAILED] Authentication failed.", {}),
        ("OK Logged in", {"accepted": True}),
        ("+ ", {"invited": True}),
        ("+OK", {"invited": True}),
    ],
    ids=["evaluated", "accepted", "sasl-continuation", "user-accepted"],
)
def test_evidence_of_plaintext_auth_fails(reply, kw):
    with pytest.raises(AssertionError):
        judge(reply, "LOGIN", **kw)


def test_a_bare_refusal_is_an_error_not_a_pass():
    with pytest.raises(CheckError):
        judge("NO go away", "LOGIN")
