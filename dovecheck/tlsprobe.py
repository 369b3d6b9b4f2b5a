"""TLS as a client sees it: the served certificate, its chain, and the names it carries.

The chain and the name are separate questions, so they are observed separately:
a certificate for another name fails the name check and nothing else, and a
certificate from an unknown CA fails the chain check and nothing else.
"""

from __future__ import annotations

import functools
import socket
import ssl
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cryptography import x509

from . import certfile
from .errors import TLSUnavailable, Unreachable
from .probes import memoized

Upgrade = Callable[[socket.socket], None]  # speaks the protocol up to its STARTTLS


def client_context(cafile: Path) -> ssl.SSLContext:
    """The only kind of context a credential may travel in: CA-verified, name-checked."""
    ctx = ssl.create_default_context(cafile=str(cafile))
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def _chain_context(cafile: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(cafile))
    ctx.check_hostname = False
    return ctx


def _looking_context() -> ssl.SSLContext:
    # Not create_default_context(): it loads the system's CA store, some 30 ms a probe,
    # for a context that verifies nothing.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


_SILENT: dict[tuple[str, int], str] = {}  # endpoints that did not answer, this run

T = TypeVar("T")


class Stalled(Unreachable):
    """The endpoint accepted the connection, then said nothing within the timeout (no
    greeting, STARTTLS answer or TLS handshake); `patiently` decides whether it is silent."""


def patiently(address: str, port: int, attempt: Callable[[], T]) -> T:
    """`attempt` (a connection up to the server's first answer), tried a second time if it
    stalls. A hung server or a tarpit stalls twice and is then remembered for the run, so
    the dozens of later checks on it err at once instead of each waiting out the timeout;
    a loaded server that missed one greeting (a login process started late, its auth
    process busy) must not turn every check of the port into an error."""
    raise_if_silent(address, port)
    try:
        return attempt()
    except Stalled:
        raise_if_silent(address, port)  # a concurrent attempt's retry has already told
    try:
        return attempt()
    except Stalled as exc:
        _SILENT[address, port] = str(exc)
        raise


def raise_if_silent(address: str, port: int) -> None:
    if (address, port) in _SILENT:
        raise Unreachable(_SILENT[address, port] + " (earlier in this run)")


def connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection; an endpoint that timed out or was unroutable once is not waited on
    again in this run (a refused port is cheap to ask and is asked each time)."""
    raise_if_silent(address, port)
    try:
        return socket.create_connection((address, port), timeout=timeout)
    except TimeoutError as exc:
        _SILENT[address, port] = f"{address} port {port}: no answer within {timeout:g} s"
        raise Unreachable(_SILENT[address, port]) from exc
    except OSError as exc:
        message = f"{address} port {port}: {exc.strerror or exc}"
        if not isinstance(exc, ConnectionRefusedError):
            _SILENT[address, port] = message
        raise Unreachable(message) from exc


@memoized
def connect_outcome(address: str, port: int, timeout: float) -> str:
    """ "connected", or why not: the firewall checks' probe from the auditor. A port the
    firewall drops costs the whole timeout, so the warm-up asks it in the background."""
    try:
        connect(address, port, timeout).close()
        return "connected"
    except Unreachable as exc:
        return f"no connection: {exc}"


@dataclass(frozen=True)
class Handshake:
    ok: bool
    error: str = ""
    protocol: str = ""
    cipher: str = ""
    der: bytes = b""


def handshake(
    address: str,
    port: int,
    server_name: str,
    ctx: ssl.SSLContext,
    timeout: float,
    upgrade: Upgrade | None = None,
) -> Handshake:
    return patiently(
        address, port, lambda: _handshake(address, port, server_name, ctx, timeout, upgrade)
    )


def _handshake(
    address: str,
    port: int,
    server_name: str,
    ctx: ssl.SSLContext,
    timeout: float,
    upgrade: Upgrade | None,
) -> Handshake:
    sock = connect(address, port, timeout)
    try:
        if upgrade is not None:
            try:
                upgrade(sock)
            except TLSUnavailable as exc:
                return Handshake(False, str(exc))
            except TimeoutError as exc:
                raise Stalled(f"{address} port {port}: no answer within {timeout:g} s") from exc
        try:
            tls = ctx.wrap_socket(sock, server_hostname=server_name)
        except ssl.SSLCertVerificationError as exc:
            return Handshake(False, exc.verify_message or str(exc))
        except ssl.SSLError as exc:
            return Handshake(False, exc.reason or str(exc))
        except TimeoutError as exc:
            raise Stalled(
                f"{address} port {port}: TLS handshake timed out ({timeout:g} s)"
            ) from exc
        except OSError as exc:  # e.g. reset: the port does not speak TLS
            return Handshake(False, f"connection lost in the TLS handshake: {exc}")
        with tls:
            cipher = tls.cipher()
            return Handshake(
                True,
                protocol=tls.version() or "",
                cipher=cipher[0] if cipher else "",
                der=tls.getpeercert(binary_form=True) or b"",
            )
    finally:
        sock.close()


def name_matches(pattern: str, fqdn: str) -> bool:
    """RFC 6125 matching: exact, or one wildcard as the whole left-most label."""
    pattern, fqdn = pattern.lower().rstrip("."), fqdn.lower().rstrip(".")
    if pattern == fqdn:
        return True
    head, _, rest = pattern.partition(".")
    return head == "*" and rest.count(".") >= 1 and fqdn.partition(".")[2] == rest


@dataclass(frozen=True)
class Observation:
    """One TLS endpoint, looked at once and reused by every check that asks about it."""

    served: Handshake
    chain: Handshake

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.served.der)

    @property
    def subject_cn(self) -> list[str]:
        return certfile.subject_cn(self.certificate)

    @property
    def san_dns(self) -> list[str]:
        return certfile.san_dns(self.certificate)

    def describe(self) -> str:
        if not self.served.ok:
            return f"no TLS handshake: {self.served.error}"
        cert = self.certificate
        return (
            f"{self.served.protocol} {self.served.cipher}; "
            f"subject {cert.subject.rfc4514_string()}; "
            f"issuer {cert.issuer.rfc4514_string()}; SAN {', '.join(self.san_dns) or '-'}; "
            f"not after {cert.not_valid_after_utc:%Y-%m-%d}; chain against CA: "
            + ("valid" if self.chain.ok else f"INVALID ({self.chain.error})")
        )


@memoized
def observe(
    address: str, port: int, fqdn: str, cafile: Path, timeout: float, upgrade: Upgrade | None = None
) -> Observation:
    """One handshake when the chain validates: a verifying client offers what the looking
    one offers, so the server answers both alike, and each handshake costs the server a
    login process. Only a handshake the verifying client refuses is looked at again
    without verification, for what the server served."""
    chain = handshake(address, port, fqdn, _chain_context(cafile), timeout, upgrade)
    if chain.ok:
        return Observation(chain, chain)
    served = handshake(address, port, fqdn, _looking_context(), timeout, upgrade)
    if not served.ok:
        return Observation(served, served)
    return Observation(served, chain)


@dataclass(frozen=True)
class Probe:
    """A probing client's answer (a suite kind's, a legacy version's), and the client that
    got it, for the evidence: one client may answer two questions."""

    client: str
    answer: Handshake


# The TLS 1.2 suites a client should never get: key exchange without forward secrecy (TLS-PFS),
# and suites that authenticate nobody or encrypt nothing (TLS-SECURE-DEFAULTS). OpenSSL 3
# builds no export, RC4 or single-DES suites, so there is nothing of those left to offer.
STATIC_RSA = "kRSA"
BROKEN = "aNULL:eNULL"
_DOUBTFUL = f"{STATIC_RSA}:{BROKEN}"
_SUITE_CLIENT = {
    STATIC_RSA: "TLS 1.2 client offering only kRSA",
    BROKEN: "TLS 1.2 client offering only anonymous (aNULL) and unencrypted (eNULL) suites",
    _DOUBTFUL: "TLS 1.2 client offering only kRSA, aNULL and eNULL suites",
}


@functools.cache
def _suites_context(ciphers: str) -> ssl.SSLContext:
    """A TLS 1.2 client offering only `ciphers`, at security level 0 so that the client
    refuses nothing itself: the probe asks the server."""
    ctx = _looking_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(f"{ciphers}:@SECLEVEL=0")
    return ctx


def _suite_names(ciphers: str) -> frozenset[str]:
    suites = _suites_context(ciphers).get_ciphers()  # TLS 1.3's are listed, never offered
    return frozenset(c["name"] for c in suites if c["protocol"] != "TLSv1.3")


_IN_KIND = {kind: _suite_names(kind) for kind in (STATIC_RSA, BROKEN)}  # built at import
_suites_context(_DOUBTFUL)  # and this one too, before the probe threads share the cache


@memoized
def _accepts_doubtful(
    address: str, port: int, fqdn: str, timeout: float, upgrade: Upgrade | None
) -> Handshake:
    return handshake(address, port, fqdn, _suites_context(_DOUBTFUL), timeout, upgrade)


@memoized
def accepts_suites(
    address: str,
    port: int,
    fqdn: str,
    kind: str,
    timeout: float,
    upgrade: Upgrade | None = None,
) -> Probe:
    """Whether the server agrees to a suite of `kind` (STATIC_RSA or BROKEN). One client
    offering both kinds asks first: a server that agrees to either cannot refuse it, so its
    refusal answers both with one connection (a login process on the server). A server that
    agrees is known to take `kind` when it picked one of them; otherwise a client offering
    `kind` alone asks."""
    both = _accepts_doubtful(address, port, fqdn, timeout, upgrade)
    if not both.ok or both.cipher in _IN_KIND[kind]:
        return Probe(_SUITE_CLIENT[_DOUBTFUL], both)
    alone = handshake(address, port, fqdn, _suites_context(kind), timeout, upgrade)
    return Probe(_SUITE_CLIENT[kind], alone)


def is_forward_secret(protocol: str, cipher: str) -> bool:
    """TLS 1.3 key exchange is always ephemeral; before it, the suite's name says."""
    return protocol == "TLSv1.3" or cipher.startswith(("ECDHE", "DHE"))


@functools.cache
def _legacy_context(lowest: ssl.TLSVersion, highest: ssl.TLSVersion) -> ssl.SSLContext:
    """A client that speaks only `lowest`..`highest`, at security level 0: OpenSSL's default
    level refuses TLS 1.0/1.1 by itself, and the probe must ask the server, not the client.

    Built once per range, at import (below): catch_warnings swaps process-wide filters,
    so in a prefetch thread it races pytest's own per-test filters and the warning leaks."""
    ctx = _looking_context()
    with warnings.catch_warnings():  # Python deprecates these versions; the probe needs them
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = lowest
        ctx.maximum_version = highest
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


LEGACY = (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1)
_NAME = {ssl.TLSVersion.TLSv1: "TLSv1", ssl.TLSVersion.TLSv1_1: "TLSv1.1"}  # as ssl reports it
for _version in LEGACY:
    _legacy_context(_version, _version)
_legacy_context(*LEGACY)
_BOTH = "client offering " + " and ".join(_NAME[v] for v in LEGACY)


@memoized
def _accepts_legacy(
    address: str, port: int, fqdn: str, timeout: float, upgrade: Upgrade | None
) -> Handshake:
    return handshake(address, port, fqdn, _legacy_context(*LEGACY), timeout, upgrade)


@memoized
def accepts_version(
    address: str,
    port: int,
    fqdn: str,
    version: ssl.TLSVersion,
    timeout: float,
    upgrade: Upgrade | None = None,
) -> Probe:
    """Whether the server speaks `version`. One client offering TLS 1.0 and 1.1 asks first
    for both: a server picks the highest version both sides speak, so one that speaks
    either cannot refuse that client, and its refusal answers both versions with one
    connection (a login process on the server) instead of two. Only a server that agrees
    is asked about the other version by a client offering that version alone."""
    both = _accepts_legacy(address, port, fqdn, timeout, upgrade)
    if not both.ok or both.protocol == _NAME[version]:
        return Probe(_BOTH, both)
    alone = handshake(address, port, fqdn, _legacy_context(version, version), timeout, upgrade)
    return Probe(f"{_NAME[version]}-only client", alone)
