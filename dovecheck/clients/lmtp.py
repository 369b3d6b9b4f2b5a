"""LMTP (RFC 2033) over stdlib smtplib, on a socket the caller opened (directly, or from the
SMTP server's host through its SSH connection), with STARTTLS verified against the FQDN."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable

from ..errors import CheckError, ProtocolGarbage, TLSUnavailable
from ..tlsprobe import Stalled
from .tlsoutcome import tls_outcome
from .transcript import Transcript


class PinnedLMTP(smtplib.LMTP):
    def __init__(
        self,
        opener: Callable[[], socket.socket],
        where: str,
        fqdn: str,
        port: int,
        timeout: float,
        lhlo_name: str,
    ) -> None:
        self._opener = opener
        self.where = where
        self.transcript = Transcript(f"LMTP {where} port {port} ({fqdn})")
        super().__init__(local_hostname=lhlo_name, timeout=timeout)
        self._host = fqdn  # the name STARTTLS verifies; smtplib sets it only in __init__
        try:
            code, greeting = self.connect(fqdn, port)
        except (smtplib.SMTPServerDisconnected, TimeoutError) as exc:
            # smtplib reports a read timeout as a disconnect, with the timeout as its context
            timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
            if not timed_out:
                raise ProtocolGarbage(f"{where} port {port}: closed without a greeting") from exc
            raise Stalled(f"{where} port {port}: no greeting within {timeout:g} s") from exc
        if code != 220:
            raise ProtocolGarbage(f"{where} port {port}: not an LMTP greeting: {code} {greeting!r}")

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return self._opener()

    def send(self, s: str | bytes) -> None:
        self.transcript.client(s.encode() if isinstance(s, str) else s)
        super().send(s)

    def getreply(self) -> tuple[int, bytes]:
        code, msg = super().getreply()
        self.transcript.server(b"%d %s" % (code, msg))
        return code, msg

    def lhlo(self) -> set[str]:
        code, msg = self.ehlo()
        if code != 250:
            raise ProtocolGarbage(f"LHLO refused: {code} {msg.decode(errors='replace')}")
        return {k.upper() for k in self.esmtp_features}

    def starttls_verified(self, ctx: ssl.SSLContext) -> None:
        try:
            with tls_outcome("STARTTLS"):
                self.starttls(context=ctx)
        except smtplib.SMTPNotSupportedError as exc:
            raise TLSUnavailable("STARTTLS is not offered after LHLO") from exc
        except smtplib.SMTPResponseException as exc:
            raise TLSUnavailable(f"STARTTLS refused: {exc.smtp_code} {exc.smtp_error!r}") from exc
        self.transcript.note(f"TLS established: {self.sock.version()} {self.sock.cipher()[0]}")

    def deliver(self, sender: str, recipient: str, message: bytes) -> tuple[int, str]:
        """One message to one recipient: LMTP answers per recipient after DATA."""
        if not isinstance(self.sock, ssl.SSLSocket):
            raise CheckError("refusing to deliver without TLS, as the guide's SMTP server must")
        try:
            refused = self.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients[recipient]
            return code, text.decode(errors="replace")
        except smtplib.SMTPDataError as exc:
            return exc.smtp_code, exc.smtp_error.decode(errors="replace")
        if recipient in refused:
            code, text = refused[recipient]
            return code, text.decode(errors="replace")
        return 250, "delivered"

    def close_quietly(self) -> None:
        try:
            self.quit()
        except (smtplib.SMTPException, OSError):
            self.close()
