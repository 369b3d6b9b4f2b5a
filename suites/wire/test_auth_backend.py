"""1.2.4 / 1.3.4: the LDAP or SQL backend refuses a wrong password.

The right password logging in through the backend is what the connection table's checks
prove (CONN-*, over IMAP and POP3); this is the other half: a backend that accepts anything
(a query that returns nopassword, a bind that is never made) would pass them all.
"""

from __future__ import annotations

import pytest

from dovecheck.refusal import decoy

# LDAP: with auth_bind the directory verifies the password (1.2.4 step 3.2); SQL: Dovecot
# checks it against what password_query returns (1.3.4).
BACKEND_REQUIREMENT = {"ldap": "LDAP-AUTH-BIND", "sql": "SQL-PASSWORD-QUERY"}


def _wrong_login(endpoint, account) -> tuple[str, str]:
    return account[0], decoy().password  # random, registered with the redactor


def _require(endpoint, backend: str) -> None:
    used = endpoint.host.expect.auth_backend
    if used != backend:
        pytest.skip(f"auth backend of {endpoint.host.name} is {used}, not {backend} (inventory)")


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(b, marks=pytest.mark.requirement(r), id=b)
        for b, r in BACKEND_REQUIREMENT.items()
    ],
)
def test_a_wrong_password_is_refused_over_imaps_and_pop3s(endpoint, backend, request):
    _require(endpoint, backend)  # before connecting: a PAM host is not asked at all
    imap993 = request.getfixturevalue("imap993")
    pop3_995 = request.getfixturevalue("pop3_995")
    account = request.getfixturevalue("account")
    user, wrong = _wrong_login(endpoint, account)
    status, text = imap993.authenticate_plain(user, wrong)
    assert status != "OK", f"{user} logged in on 993 with a wrong password: {text!r}"
    reply = pop3_995.authenticate_plain(user, wrong)
    assert not reply.startswith("+OK"), f"{user} logged in on 995 with a wrong password"
