"""Judging a server's answer to credentials sent without TLS.

The harness never sends real credentials in clear text: it sends a decoy, and
reads why the server refused it. A refusal *for lack of TLS* passes; an answer
that shows the server evaluated the credentials (accepted, or "authentication
failed") fails; a bare refusal that says neither is reported as undecidable.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from .errors import CheckError
from .redact import REDACTOR

_FOR_PRIVACY = re.compile(r"PRIVACYREQUIRED|plain\s*text|cleartext|TLS|SSL|secure", re.I)
_EVALUATED = re.compile(r"AUTHENTICATIONFAILED|authentication failed|invalid|password", re.I)


@dataclass(frozen=True)
class Decoy:
    user: str
    password: str


def decoy() -> Decoy:
    """Credentials that belong to nobody, fresh each run (masked in evidence all the same)."""
    password = secrets.token_urlsafe(12)
    REDACTOR.add(password)
    return Decoy(f"dovecheck-decoy-{secrets.token_hex(4)}", password)


def judge(reply: str, what: str, *, accepted: bool = False, invited: bool = False) -> None:
    """Assert that `reply` refuses `what` because the channel has no TLS.

    `invited` means the server asked for the credentials (a SASL continuation, or
    +OK to USER): that alone shows it would take them in clear, so the harness
    cancels instead of sending even a decoy, and no auth penalty builds up.
    """
    __tracebackhide__ = True
    if accepted:
        raise AssertionError(f"{what} without TLS was accepted: {reply!r}")
    if invited:
        raise AssertionError(
            f"{what} without TLS: the server asked for the credentials "
            f"(plaintext authentication is allowed): {reply!r}"
        )
    if _FOR_PRIVACY.search(reply):
        return
    if _EVALUATED.search(reply):
        raise AssertionError(
            f"{what} without TLS: the server evaluated the credentials "
            f"(plaintext authentication is allowed): {reply!r}"
        )
    raise CheckError(f"{what} without TLS was refused, but not visibly for lack of TLS: {reply!r}")
