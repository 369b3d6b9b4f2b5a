"""Full IMAP sessions (SELECT, APPEND, IDLE...) through imapclient, on a pinned, verified
connection: imapclient speaks the protocol, PinnedIMAPS owns the socket and its TLS."""

from __future__ import annotations

import ssl

from imapclient import IMAPClient

from ..tlsprobe import patiently
from .imap import PinnedIMAPS


class PinnedIMAPClient(IMAPClient):
    def __init__(
        self, address: str, fqdn: str, port: int, timeout: float, ctx: ssl.SSLContext
    ) -> None:
        self._pin = (address, fqdn, port, timeout, ctx)
        super().__init__(fqdn, port=port, ssl=True, ssl_context=ctx, timeout=timeout)

    def _create_IMAP4(self) -> PinnedIMAPS:
        address, fqdn, port, timeout, ctx = self._pin
        return patiently(address, port, lambda: PinnedIMAPS(address, fqdn, port, timeout, ctx))

    @property
    def transcript(self):
        return self._imap.transcript

    def reusable(self) -> bool:
        """Whether the next check may work in this session: back in the authenticated state
        with UNSELECT (never CLOSE, which would expunge the account's \\Deleted messages),
        and a NOOP answered OK. Anything unexpected says no, and the session is logged out."""
        try:
            if self._imap.state == "SELECTED":
                if not self.has_capability("UNSELECT"):
                    return False
                self.unselect_folder()
            self.noop()
            return self._imap.state == "AUTH"
        except Exception:
            return False


def open_session(
    address: str, fqdn: str, port: int, timeout: float, ca_file, user: str, password: str
) -> PinnedIMAPClient:
    """A logged-in session for a background experiment; no session at all is the harness's
    error (CheckError), never a finding: whether the login works is the login checks' job."""
    from ..errors import CheckError
    from ..tlsprobe import client_context

    try:
        client = PinnedIMAPClient(address, fqdn, port, timeout, client_context(ca_file))
        client.plain_login(user, password)
    except Exception as exc:
        why = f"no answer within {timeout:g} s" if isinstance(exc, TimeoutError) else exc
        raise CheckError(f"no IMAP session on port {port} to test with: {why}") from exc
    return client
