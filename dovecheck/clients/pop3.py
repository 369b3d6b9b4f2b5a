"""POP3 over stdlib poplib, pinned to one address, TLS verified against the FQDN."""

from __future__ import annotations

import base64
import poplib
import socket
import ssl

from ..errors import (
    CheckError,
    ProtocolGarbage,
    TLSUnavailable,
    raise_if_refused_for_now,
)
from ..tlsprobe import Stalled, connect
from .imap import implicit_tls
from .tlsoutcome import tls_outcome
from .transcript import Transcript


class PinnedPOP3(poplib.POP3):
    def __init__(self, address: str, fqdn: str, port: int, timeout: float) -> None:
        self.address = address
        self.transcript = Transcript(f"POP3 {address} port {port} ({fqdn})")
        try:
            super().__init__(fqdn, port, timeout=timeout)
        except poplib.error_proto as exc:
            raise ProtocolGarbage(f"{address} port {port}: not a POP3 greeting: {exc}") from exc
        except TimeoutError as exc:
            raise Stalled(f"{address} port {port}: no POP3 greeting within {timeout:g} s") from exc
        if not self.welcome.startswith(b"+OK"):
            raise ProtocolGarbage(
                f"{address} port {port}: not a POP3 greeting: {self.welcome[:80]!r}"
            )

    def _create_socket(self, timeout: float) -> socket.socket:
        return connect(self.address, self.port, timeout)

    def _putline(self, line: bytes) -> None:
        self.transcript.client(line)
        super()._putline(line)

    def _getline(self) -> tuple[bytes, int]:
        line, octets = super()._getline()
        self.transcript.server(line)
        return line, octets

    def capabilities(self) -> set[str]:
        try:
            return {c.upper() for c in self.capa()}
        except poplib.error_proto:
            return set()

    def reply(self, line: str) -> str:
        """Send one command; return the server's status line, +OK or -ERR, never raising."""
        try:
            return self._shortcmd(line).decode(errors="replace")
        except poplib.error_proto as exc:
            text = exc.args[0] if exc.args else b""
            return text.decode(errors="replace") if isinstance(text, bytes) else str(text)

    def sasl_plain(self, user: str, password: str) -> str:
        """AUTH PLAIN with the initial response (RFC 5034)."""
        payload = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        return self.reply(f"AUTH PLAIN {payload}")

    def stls_verified(self, ctx: ssl.SSLContext) -> None:
        try:
            with tls_outcome("STLS"):
                self.stls(ctx)
        except poplib.error_proto as exc:
            raise TLSUnavailable(f"STLS failed: {exc}") from exc
        self.transcript.note(f"TLS established: {self.sock.version()} {self.sock.cipher()[0]}")

    def authenticate_plain(self, user: str, password: str) -> str:
        if not isinstance(self.sock, ssl.SSLSocket):
            raise CheckError("refusing to send credentials over a channel without TLS")
        reply = self.sasl_plain(user, password)
        raise_if_refused_for_now(f"POP3 port {self.port}", reply)
        return reply

    def close_quietly(self) -> None:
        try:
            self.quit()
        except (poplib.error_proto, OSError):
            self.close()


class PinnedPOP3S(PinnedPOP3):
    def __init__(
        self, address: str, fqdn: str, port: int, timeout: float, ctx: ssl.SSLContext
    ) -> None:
        self._ctx = ctx
        super().__init__(address, fqdn, port, timeout)

    def _create_socket(self, timeout: float) -> socket.socket:
        return implicit_tls(super()._create_socket(timeout), self._ctx, self.host, self.port)
