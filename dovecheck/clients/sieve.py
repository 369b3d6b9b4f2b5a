"""A small ManageSieve client (RFC 5804): sievelib logs in on connect and takes no SSL
context, so the checks that must look before authentication need their own client.

Pinned to one address, TLS verified against the FQDN, every exchange in a transcript.
"""

from __future__ import annotations

import base64
import re
import socket
import ssl
from dataclasses import dataclass

from ..errors import (
    CheckError,
    ProtocolGarbage,
    TLSUnavailable,
    Unreachable,
    raise_if_refused_for_now,
)
from ..tlsprobe import Stalled, connect
from .tlsoutcome import tls_outcome
from .transcript import Transcript

_LITERAL = re.compile(rb"\{(\d+)\+?\}\r?\n?$")


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Reply:
    status: str  # OK, NO or BYE
    text: str
    lines: list[str]

    @property
    def ok(self) -> bool:
        return self.status == "OK"


class PinnedSieve:
    def __init__(self, address: str, fqdn: str, port: int, timeout: float) -> None:
        self.fqdn, self.port, self.timeout = fqdn, port, timeout
        self.transcript = Transcript(f"ManageSieve {address} port {port} ({fqdn})")
        self.sock: socket.socket = connect(address, port, timeout)
        self.file = self.sock.makefile("rb")
        try:
            greeting = self._reply()
        except Unreachable as exc:
            self.sock.close()
            raise Stalled(f"{address} {exc}") from exc
        self.caps = self._capabilities(greeting)

    # -- wire -----------------------------------------------------------------
    def _readline(self) -> bytes:
        try:
            line = self.file.readline(65536)
        except TimeoutError as exc:
            raise Unreachable(f"port {self.port}: no answer within {self.timeout:g} s") from exc
        if not line:
            raise ProtocolGarbage(f"port {self.port}: connection closed")
        self.transcript.server(line)
        return line

    def _reply(self) -> Reply:
        lines: list[str] = []
        while True:
            line = self._readline()
            if m := _LITERAL.search(line):  # a literal continues the response line
                data = self.file.read(int(m.group(1)))
                line = line[: m.start()] + b'"' + data + b'"' + self._readline()
            text = line.decode(errors="replace").rstrip("\r\n")
            word = text.split(" ", 1)[0].upper()
            if word in ("OK", "NO", "BYE"):
                return Reply(word, text[len(word) :].strip(), lines)
            if not text.startswith('"') and not text.startswith("{"):
                raise ProtocolGarbage(f"not a ManageSieve response: {text[:80]!r}")
            lines.append(text)

    def send(self, line: str, literal: bytes | None = None) -> None:
        data = line.encode()
        if literal is not None:
            data += b" {%d+}\r\n" % len(literal) + literal
        self.transcript.client(data)
        self.sock.sendall(data + b"\r\n")

    def command(self, line: str, literal: bytes | None = None) -> Reply:
        self.send(line, literal)
        return self._reply()

    @staticmethod
    def _capabilities(reply: Reply) -> dict[str, str]:
        if not reply.ok:
            raise ProtocolGarbage(f"ManageSieve greeting refused: {reply.status} {reply.text}")
        caps = {}
        for line in reply.lines:
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
            if parts:
                caps[parts[0].upper()] = parts[1] if len(parts) > 1 else ""
        return caps

    # -- protocol -------------------------------------------------------------
    @property
    def sasl(self) -> list[str]:
        return self.caps.get("SASL", "").upper().split()

    def starttls(self, ctx: ssl.SSLContext) -> None:
        reply = self.command("STARTTLS")
        if not reply.ok:
            raise TLSUnavailable(f"STARTTLS refused: {reply.status} {reply.text}")
        with tls_outcome("STARTTLS"):
            self.sock = ctx.wrap_socket(self.sock, server_hostname=self.fqdn)
        self.file = self.sock.makefile("rb")
        self.transcript.note(f"TLS established: {self.sock.version()}")
        self.caps = self._capabilities(self._reply())  # RFC 5804: capabilities again

    def authenticate_plain(self, user: str, password: str) -> Reply:
        if not isinstance(self.sock, ssl.SSLSocket):
            raise CheckError("refusing to send credentials over a channel without TLS")
        payload = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        reply = self.command(f'AUTHENTICATE "PLAIN" {quoted(payload)}')
        raise_if_refused_for_now("ManageSieve", f"{reply.status} {reply.text}")
        return reply

    def open_plain_exchange(self) -> tuple[bool, Reply | None, str]:
        """AUTHENTICATE "PLAIN" without credentials: (invited, reply, what was seen).
        An invitation (a continuation) is cancelled at once with "*"."""
        self.send('AUTHENTICATE "PLAIN"')
        line = self._readline().decode(errors="replace").strip()
        word = line.split(" ", 1)[0].upper()
        if word in ("OK", "NO", "BYE"):
            return False, Reply(word, line[len(word) :].strip(), []), line
        self.send('"*"')
        return True, self._reply(), line

    def close(self) -> None:
        try:
            self.send("LOGOUT")
            self._reply()
        except (CheckError, OSError):
            pass
        finally:
            self.sock.close()
