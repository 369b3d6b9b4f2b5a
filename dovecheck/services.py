"""The mail services the guide's connection tables name, and how each reaches TLS."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ProtocolGarbage, TLSUnavailable


def _lines(sock: socket.socket):
    return sock.makefile("rb")


def _imap_starttls(sock: socket.socket) -> None:
    f = _lines(sock)
    greeting = f.readline()
    if not greeting.startswith(b"* "):
        raise ProtocolGarbage(f"not an IMAP greeting: {greeting[:80]!r}")
    sock.sendall(b"s1 STARTTLS\r\n")
    while (line := f.readline()) and not line.startswith(b"s1 "):
        pass
    if not line.upper().startswith(b"S1 OK"):
        raise TLSUnavailable(f"STARTTLS refused: {line.decode(errors='replace').strip()}")


def _pop3_stls(sock: socket.socket) -> None:
    f = _lines(sock)
    greeting = f.readline()
    if not greeting.startswith(b"+OK"):
        raise ProtocolGarbage(f"not a POP3 greeting: {greeting[:80]!r}")
    sock.sendall(b"STLS\r\n")
    line = f.readline()
    if not line.startswith(b"+OK"):
        raise TLSUnavailable(f"STLS refused: {line.decode(errors='replace').strip()}")


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


IMAP = Service("imap", "imap", 143, False, _imap_starttls)
IMAPS = Service("imaps", "imap", 993, True)
POP3 = Service("pop3", "pop3", 110, False, _pop3_stls)
POP3S = Service("pop3s", "pop3", 995, True)


def _sieve_starttls(sock: socket.socket) -> None:
    f = _lines(sock)
    while (line := f.readline()) and not line.upper().startswith((b"OK", b"NO", b"BYE")):
        pass
    if not line.upper().startswith(b"OK"):
        raise ProtocolGarbage(f"not a ManageSieve greeting: {line[:80]!r}")
    sock.sendall(b"STARTTLS\r\n")
    line = f.readline()
    if not line.upper().startswith(b"OK"):
        raise TLSUnavailable(f"STARTTLS refused: {line.decode(errors='replace').strip()}")


MAIL_SERVICES = (IMAP, IMAPS, POP3, POP3S)
SIEVE = Service("sieve", "sieve", 4190, False, _sieve_starttls)
TLS_SERVICES = (*MAIL_SERVICES, SIEVE)
