"""A login refused for now (backend down, too many sessions) is an error, never a finding:
the credentials were not judged."""

from __future__ import annotations

import pytest

from dovecheck.errors import CheckError, raise_if_refused_for_now


@pytest.mark.parametrize(
    "reply",
    [
        "[LIMIT] Maximum number of connections from user+IP exceeded "
        "(mail_max_userip_connections=2)",
        "-ERR [IN-USE] Maximum number of connections from user+IP exceeded "
        "(mail_max_userip_connections=1)",
        'NO "Maximum number of connections from user+IP exceeded (mail_max_userip_connections=1)"',
    ],
)
def test_a_session_limit_is_an_error_naming_the_setting(reply):
    with pytest.raises(CheckError, match="a limit such as mail_max_userip_connections"):
        raise_if_refused_for_now("IMAP port 143", reply)


@pytest.mark.parametrize(
    "reply", ["[UNAVAILABLE] Temporary authentication failure.", "-ERR [SYS/TEMP] Temporary"]
)
def test_a_backend_that_does_not_answer_is_an_error(reply):
    with pytest.raises(CheckError, match="backend is unavailable"):
        raise_if_refused_for_now("IMAP port 993", reply)


@pytest.mark.parametrize(
    "reply",
    [
        "[AUTHENTICATIONFAILED] Authentication failed.",
        "-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.",
    ],
)
def test_a_refusal_of_the_credentials_or_a_server_fault_is_left_to_the_check(reply):
    raise_if_refused_for_now("POP3 port 995", reply)
