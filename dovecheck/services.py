"""The services the guide's connection tables name, and how each reaches TLS."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ProtocolGarbage, TLSUnavailable


@dataclass(frozen=True)
class StartTLS:
    """A protocol's way to TLS, as line predicates: one reader serves IMAP, POP3 and
    ManageSieve alike (greeting, the command, its final reply)."""

    protocol: str
    greeting_ok: bytes  # what the greeting's last line starts with
    greeting_last: tuple[bytes, ...]  # prefixes that end the greeting
    command: bytes
    reply_last: tuple[bytes, ...]  # prefixes that end the reply
    reply_ok: bytes
    # SMTP-family protocols introduce themselves first (LHLO) and take STARTTLS after
    hello: bytes = b""
    hello_last: tuple[bytes, ...] = ()

    def __call__(self, sock: socket.socket) -> None:
        f = sock.makefile("rb")
        line = self._until(f, self.greeting_last)
        if not line.upper().startswith(self.greeting_ok):
            raise ProtocolGarbage(f"not a {self.protocol} greeting: {line[:80]!r}")
        if self.hello:
            sock.sendall(self.hello + b"\r\n")
            line = self._until(f, self.hello_last)
            if not line.startswith(b"250"):
                raise ProtocolGarbage(f"{self.protocol}: {self.hello.decode()} refused: {line!r}")
        sock.sendall(self.command + b"\r\n")
        line = self._until(f, self.reply_last)
        if not line.upper().startswith(self.reply_ok):
            word = self.command.split()[-1].decode()
            raise TLSUnavailable(f"{word} refused: {line.decode(errors='replace').strip()}")

    @staticmethod
    def _until(f, last: tuple[bytes, ...]) -> bytes:
        while (line := f.readline()) and not line.upper().startswith(last):
            pass
        return line


@dataclass(frozen=True)
class Service:
    name: str
    protocol: str  # the `protocols` word that enables it
    port: int
    implicit_tls: bool
    upgrade: Callable[[socket.socket], None] | None = None

    @property
    def security(self) -> str:
        return "SSL/TLS" if self.implicit_tls else "STARTTLS"


_ANY = (b"",)  # every line ends it: a one-line greeting or reply
_SIEVE_END = (b"OK", b"NO", b"BYE")

IMAP = Service(
    "imap", "imap", 143, False, StartTLS("IMAP", b"* ", _ANY, b"s1 STARTTLS", (b"S1 ",), b"S1 OK")
)
IMAPS = Service("imaps", "imap", 993, True)
POP3 = Service("pop3", "pop3", 110, False, StartTLS("POP3", b"+OK", _ANY, b"STLS", _ANY, b"+OK"))
POP3S = Service("pop3s", "pop3", 995, True)
SIEVE = Service(
    "sieve",
    "sieve",
    4190,
    False,
    StartTLS("ManageSieve", b"OK", _SIEVE_END, b"STARTTLS", _ANY, b"OK"),
)
_SMTP_END = (b"220 ", b"250 ", b"4", b"5")  # a reply's last line, or a refusal
LMTP = Service(
    "lmtp",
    "lmtp",
    24,
    False,
    StartTLS(
        "LMTP",
        b"220",
        _SMTP_END,
        b"STARTTLS",
        _SMTP_END,
        b"220",
        hello=b"LHLO dovecheck.invalid",
        hello_last=_SMTP_END,
    ),
)
MAIL_SERVICES = (IMAP, IMAPS, POP3, POP3S)
# LMTP on 24 when it listens on a port (1.6); reached from the inventory's SMTP server
TLS_SERVICES = (*MAIL_SERVICES, SIEVE, LMTP)
