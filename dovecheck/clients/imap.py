"""IMAP over stdlib imaplib: it hands back the server's own NO/BAD and response codes.

The client connects to one pinned address (to probe IPv4 and IPv6 separately)
while TLS verifies the host's FQDN.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import socket
import ssl

from ..errors import (
    CheckError,
    Finding,
    ProtocolGarbage,
    TLSUnavailable,
    raise_if_refused_for_now,
)
from ..tlsprobe import Stalled, connect
from .tlsoutcome import tls_outcome
from .transcript import Transcript


class PinnedIMAP(imaplib.IMAP4):
    """imaplib.IMAP4 to `address`, with `fqdn` as the TLS server name, and a transcript."""

    def __init__(self, address: str, fqdn: str, port: int, timeout: float) -> None:
        self.address = address
        self.transcript = Transcript(f"IMAP {address} port {port} ({fqdn})")
        try:
            super().__init__(fqdn, port, timeout=timeout)
        except imaplib.IMAP4.abort as exc:
            raise ProtocolGarbage(f"{address} port {port}: not an IMAP greeting: {exc}") from exc
        except TimeoutError as exc:
            raise Stalled(f"{address} port {port}: no IMAP greeting within {timeout:g} s") from exc

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return connect(self.address, self.port, timeout or 10.0)

    def _connect(self) -> None:
        # imaplib refuses a server that does not announce IMAP4rev1; the harness wants to
        # *report* that (INTRO-IMAP-STANDARDS), and keep checking everything else.
        try:
            super()._connect()
        except imaplib.IMAP4.error as exc:
            if "not IMAP4 compliant" not in str(exc):
                raise
            self.transcript.note("the server does not announce IMAP4rev1")

    def send(self, data: bytes) -> None:
        self.transcript.client(data)
        super().send(data)

    def readline(self) -> bytes:
        line = super().readline()
        self.transcript.server(line)
        return line

    @property
    def caps(self) -> set[str]:
        return {c.upper() for c in self.capabilities}

    def command(self, *words: str, answer: str | None = None) -> tuple[str, bytes]:
        """Send a raw command; return the tagged status and text (with its response code).

        A continuation request is answered once with `answer`, else cancelled.
        """
        self.invited = False
        bye = b""
        tag = self._new_tag()
        self.send(tag + b" " + " ".join(words).encode() + b"\r\n")
        while True:
            line = self.readline()
            if not line and bye:
                raise Finding(f"the server ended the session: {bye.decode(errors='replace')}")
            if not line:
                raise ProtocolGarbage("connection closed while waiting for the reply")
            if line.startswith(b"* BYE"):
                bye = line.strip()
            if line.startswith(tag + b" "):
                status, _, text = line[len(tag) + 1 :].partition(b" ")
                return status.decode(errors="replace").upper(), text.strip()
            if line.startswith(b"+"):
                self.invited = True
                self.send((answer if answer is not None else "*").encode() + b"\r\n")
                answer = "*"
            elif not line.startswith(b"*"):
                raise ProtocolGarbage(f"not an IMAP response: {line[:80]!r}")

    def starttls_verified(self, ctx: ssl.SSLContext) -> None:
        try:
            with tls_outcome("STARTTLS"):
                self.starttls(ssl_context=ctx)
        except imaplib.IMAP4.error as exc:
            raise TLSUnavailable(f"STARTTLS failed: {exc}") from exc
        self.transcript.note(f"TLS established: {self.sock.version()} {self.sock.cipher()[0]}")

    def authenticate_plain(self, user: str, password: str) -> tuple[str, bytes]:
        """AUTHENTICATE PLAIN; only ever called on a verified TLS channel."""
        if not isinstance(self.sock, ssl.SSLSocket):
            raise CheckError("refusing to send credentials over a channel without TLS")
        status, text = self.sasl_plain(user, password)
        raise_if_refused_for_now(f"IMAP port {self.port}", text.decode(errors="replace"))
        return status, text

    def sasl_plain(self, user: str, password: str) -> tuple[str, bytes]:
        payload = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        if "SASL-IR" in self.caps:
            return self.command("AUTHENTICATE", "PLAIN", payload)
        return self.command("AUTHENTICATE", "PLAIN", answer=payload)

    def close_quietly(self) -> None:
        try:
            self.logout()
        except Exception:  # the server may already have closed; nothing left to tell
            self.shutdown_quietly()

    def shutdown_quietly(self) -> None:
        with contextlib.suppress(OSError):
            self.shutdown()


class PinnedIMAPS(PinnedIMAP):
    """IMAP with implicit TLS (993): the handshake happens before the greeting."""

    def __init__(
        self, address: str, fqdn: str, port: int, timeout: float, ctx: ssl.SSLContext
    ) -> None:
        self._ctx = ctx
        super().__init__(address, fqdn, port, timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return implicit_tls(super()._create_socket(timeout), self._ctx, self.host, self.port)


def implicit_tls(sock: socket.socket, ctx: ssl.SSLContext, fqdn: str, port: int) -> ssl.SSLSocket:
    """Wrap a fresh connection, closing it if TLS does not come up."""
    try:
        with tls_outcome(f"port {port}"):
            return ctx.wrap_socket(sock, server_hostname=fqdn)
    except Exception:
        sock.close()
        raise
