"""The harness's own failures, kept apart from findings.

An AssertionError in a check is a finding (fail). A CheckError means the harness
could not tell (error): the host was unreachable, answered garbage, or a
precondition for asking safely did not hold. Never the other way round.
"""


class CheckError(Exception):
    """The harness could not reach a verdict; the message says why, in one line."""


class Unreachable(CheckError):
    """The host or service did not answer within its timeout."""


class ProtocolGarbage(CheckError):
    """The server answered something that is not the protocol we spoke."""


class Finding(AssertionError):
    """Raised by library code when what it observed is itself the finding (a fail),
    e.g. a port that should speak TLS and does not."""


class TLSUnavailable(Finding):
    """The service did not establish TLS at all (refused STARTTLS, or no handshake)."""


# The response codes of a temporary authentication failure (RFC 5530 UNAVAILABLE, RFC 3206
# SYS/TEMP, RFC 5804 TRYLATER): the server's passdb backend (LDAP, SQL) did not answer.
TEMPORARY_AUTH_FAILURE = ("[UNAVAILABLE]", "[SYS/TEMP]", "(TRYLATER)")
# A login refused for the sessions the account already has (RFC 5530 LIMIT, RFC 3206 IN-USE;
# Dovecot's mail_max_userip_connections, ManageSieve's own words): the audit's own sessions
# met a limit, and the credentials were not judged.
SESSION_LIMIT = ("[LIMIT]", "[IN-USE]", "MAIL_MAX_USERIP_CONNECTIONS")


def raise_if_refused_for_now(where: str, reply: str) -> None:
    """A login refused *for now* tells nothing about the credentials: an error, not a fail.
    POP3's [SYS/TEMP] also covers the server's own failure after authentication ("Internal
    error occurred": the mail user cannot be set up); that one is the server's fault, a
    finding like IMAP's [SERVERBUG], and is left to the caller to report."""
    upper = reply.upper()
    if "INTERNAL ERROR" in upper:
        return
    if any(code in upper for code in TEMPORARY_AUTH_FAILURE):
        raise CheckError(
            f"{where}: the server's authentication backend is unavailable "
            f"(temporary authentication failure: {reply.strip()[:160]})"
        )
    if any(code in upper for code in SESSION_LIMIT):
        raise CheckError(
            f"{where}: the server refused the test account another session "
            f"({reply.strip()[:160]}); the audit holds several at once from one address, so "
            "a limit such as mail_max_userip_connections (Dovecot's default is 10) must "
            "allow them, and no other client may hold the account's POP3 lock"
        )


def refused_login(what: str, user: str, reply: object) -> str:
    """The message of a check whose test-account login was refused. The server refusing the
    right password is the finding; a wrong secret in the inventory looks exactly the same
    from outside, so the message names both causes for whoever reads the report."""
    return (
        f"{what}: {reply} (the server refused {user} with the password the inventory's "
        f"secret holds: authentication on the server is broken, or that secret is wrong)"
    )
