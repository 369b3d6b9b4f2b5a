"""The DH group a server really uses for DHE suites: Python's ssl module does not expose it.

The probe sends a TLS 1.2 ClientHello that offers only DHE suites and reads the server's
first flight up to its ServerKeyExchange, whose `dh_p` is the group. It stops there: no key
is computed on either side. `openssl s_client`, used before, completed the handshake, which
cost a process and two 4096-bit modular exponentiations per probe (about 0.1 s of CPU each
for client and server, twelve probes a host); the answer is the same length of the same p.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from .errors import CheckError, TLSUnavailable
from .probes import memoized
from .tlsprobe import Stalled, Upgrade, connect, patiently

# OpenSSL's "DHE" at security level 0: authenticated ephemeral DH, RSA and DSS.
DHE_SUITES = {
    0x009F: "DHE-RSA-AES256-GCM-SHA384",
    0x009E: "DHE-RSA-AES128-GCM-SHA256",
    0xCCAA: "DHE-RSA-CHACHA20-POLY1305",
    0xC09F: "DHE-RSA-AES256-CCM",
    0xC09E: "DHE-RSA-AES128-CCM",
    0xC0A3: "DHE-RSA-AES256-CCM8",
    0xC0A2: "DHE-RSA-AES128-CCM8",
    0xC053: "DHE-RSA-ARIA256-GCM-SHA384",
    0xC052: "DHE-RSA-ARIA128-GCM-SHA256",
    0x006B: "DHE-RSA-AES256-SHA256",
    0x0067: "DHE-RSA-AES128-SHA256",
    0x00C4: "DHE-RSA-CAMELLIA256-SHA256",
    0x00BE: "DHE-RSA-CAMELLIA128-SHA256",
    0x0039: "DHE-RSA-AES256-SHA",
    0x0033: "DHE-RSA-AES128-SHA",
    0x0088: "DHE-RSA-CAMELLIA256-SHA",
    0x0045: "DHE-RSA-CAMELLIA128-SHA",
    0x0016: "DHE-RSA-DES-CBC3-SHA",
    0x00A3: "DHE-DSS-AES256-GCM-SHA384",
    0x00A2: "DHE-DSS-AES128-GCM-SHA256",
    0x006A: "DHE-DSS-AES256-SHA256",
    0x0040: "DHE-DSS-AES128-SHA256",
    0x0038: "DHE-DSS-AES256-SHA",
    0x0032: "DHE-DSS-AES128-SHA",
    0x0013: "DHE-DSS-DES-CBC3-SHA",
}
_RENEGOTIATION_SCSV = 0x00FF
# RSA-PSS, PKCS#1 and ECDSA with SHA-256/384/512, then SHA-1 and DSA: a TLS 1.2 server
# needs one it can sign the ServerKeyExchange with
_SIGNATURE_ALGORITHMS = (
    0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603,
    0x0201, 0x0203, 0x0402, 0x0202,
)  # fmt: skip
_ALERTS = {
    10: "unexpected_message",
    40: "handshake_failure",
    47: "illegal_parameter",
    50: "decode_error",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    112: "unrecognized_name",
}
_HANDSHAKE, _ALERT = 22, 21
_SERVER_HELLO, _SERVER_KEY_EXCHANGE, _SERVER_HELLO_DONE = 2, 12, 14
_MAX_FLIGHT = 1 << 16  # a certificate chain fits; a server that streams more is not TLS


@dataclass(frozen=True)
class DHEProbe:
    """bits is None when the server agreed to no DHE suite, or (tls False) answered the
    ClientHello with something that is not TLS at all; `summary` says what it answered."""

    bits: int | None
    summary: str
    tls: bool = True


def _extension(kind: int, body: bytes) -> bytes:
    return struct.pack("!HH", kind, len(body)) + body


def client_hello(server_name: str) -> bytes:
    """One TLS 1.2 record carrying a ClientHello that offers the DHE suites only."""
    suites = b"".join(struct.pack("!H", s) for s in (*DHE_SUITES, _RENEGOTIATION_SCSV))
    name = server_name.encode("idna")
    sni = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    sigalgs = b"".join(struct.pack("!H", a) for a in _SIGNATURE_ALGORITHMS)
    extensions = _extension(0, sni) + _extension(13, struct.pack("!H", len(sigalgs)) + sigalgs)
    body = (
        b"\x03\x03"
        + os.urandom(32)
        + b"\x00"  # no session to resume
        + struct.pack("!H", len(suites))
        + suites
        + b"\x01\x00"  # null compression only
        + struct.pack("!H", len(extensions))
        + extensions
    )
    handshake = bytes([1]) + len(body).to_bytes(3, "big") + body
    return struct.pack("!BHH", _HANDSHAKE, 0x0301, len(handshake)) + handshake


class _NotTLS(Exception):
    """The answer is not TLS: the port does no TLS (the connection checks' finding)."""


class _BrokenTLS(Exception):
    """A TLS answer that breaks the protocol: the harness cannot read a group from it."""


def read_server_flight(recv) -> DHEProbe:
    """Read records with `recv(n)` until the ServerKeyExchange (or an alert) and judge them.

    `recv` returns b"" at end of stream. Pure, so the parser is tested on recorded bytes."""
    buffer = b""
    handshakes = b""
    cipher = ""

    def take(n: int) -> bytes:
        nonlocal buffer
        while len(buffer) < n:
            chunk = recv(4096)
            if not chunk:
                raise _NotTLS("the server closed the connection mid-handshake")
            buffer += chunk
            if len(buffer) > _MAX_FLIGHT:
                raise _NotTLS("more than 64 KiB before the key exchange")
        head, buffer = buffer[:n], buffer[n:]
        return head

    total = 0
    while True:
        kind, version, length = struct.unpack("!BHH", take(5))
        total += length
        if kind not in (_HANDSHAKE, _ALERT) or version >> 8 != 3 or total > _MAX_FLIGHT:
            raise _NotTLS(f"the answer is not a TLS record (type {kind}, version {version:#06x})")
        fragment = take(length)
        if kind == _ALERT:
            code = fragment[1] if len(fragment) > 1 else -1
            name = _ALERTS.get(code, f"alert {code}")
            return DHEProbe(None, f"refused with a TLS alert: {name} ({code})")
        handshakes += fragment
        while len(handshakes) >= 4:
            msg_type, msg_len = handshakes[0], int.from_bytes(handshakes[1:4], "big")
            if len(handshakes) < 4 + msg_len:
                break
            msg, handshakes = handshakes[4 : 4 + msg_len], handshakes[4 + msg_len :]
            if msg_type == _SERVER_HELLO:
                if len(msg) < 38:
                    raise _BrokenTLS("a truncated ServerHello")
                suite = struct.unpack("!H", msg[35 + msg[34] : 37 + msg[34]])[0]
                cipher = DHE_SUITES.get(suite, f"suite {suite:#06x}")
                if suite not in DHE_SUITES:
                    raise _BrokenTLS(f"the server chose {cipher}, which was not offered")
            elif msg_type == _SERVER_KEY_EXCHANGE:
                (p_len,) = struct.unpack("!H", msg[:2])
                p = int.from_bytes(msg[2 : 2 + p_len], "big")
                return DHEProbe(
                    p.bit_length(),
                    f"TLS 1.2 {cipher}; ServerKeyExchange: DH group of {p.bit_length()} bits",
                )
            elif msg_type == _SERVER_HELLO_DONE:
                raise _BrokenTLS(f"the server chose {cipher} but sent no ServerKeyExchange")


@memoized
def dhe_group_bits(
    address: str, port: int, fqdn: str, timeout: float, upgrade: Upgrade | None = None
) -> DHEProbe:
    """The group a DHE handshake with the server uses (the TLS-DH-PARAMS question)."""
    return patiently(address, port, lambda: _dhe_group_bits(address, port, fqdn, timeout, upgrade))


def _dhe_group_bits(
    address: str, port: int, fqdn: str, timeout: float, upgrade: Upgrade | None
) -> DHEProbe:
    sock = connect(address, port, timeout)  # unreachable is an error, not "no DHE"
    try:
        if upgrade is not None:
            try:
                upgrade(sock)
            except TLSUnavailable as exc:
                return DHEProbe(None, f"no TLS handshake: {exc}", tls=False)
        sock.sendall(client_hello(fqdn))
        return read_server_flight(sock.recv)
    except TimeoutError as exc:
        raise Stalled(f"{address} port {port}: TLS handshake timed out ({timeout:g} s)") from exc
    except _NotTLS as exc:
        return DHEProbe(None, f"no TLS handshake: {exc}", tls=False)
    except OSError as exc:  # e.g. reset: what tlsprobe.handshake calls a lost handshake
        return DHEProbe(None, f"no TLS handshake: connection lost: {exc}", tls=False)
    except (_BrokenTLS, struct.error) as exc:
        detail = f"a DHE ClientHello got a broken TLS answer: {exc or 'truncated'}"
        raise CheckError(f"{address} port {port}: {detail}") from exc
    finally:
        sock.close()
