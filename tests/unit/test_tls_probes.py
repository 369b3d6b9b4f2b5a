"""The TLS probes ask with as few connections as the answer allows: each connection costs
a Dovecot server a login process. Asked of a loopback TLS server here, because what is
tested is the inference from a real handshake (which version a server picks, which chain
a verifying client refuses), not the checks' verdicts, which the lab's scenarios prove."""

from __future__ import annotations

import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from dovecheck import probes, tlsprobe
from dovecheck.lab.pki import LabCA

FQDN = "mail.example.test"


class TLSServer:
    """Accepts connections and completes (or refuses) a TLS handshake on each, counting
    them: the count is what the probes are meant to keep low."""

    def __init__(
        self, tmp: Path, lowest: ssl.TLSVersion, highest: ssl.TLSVersion, ciphers: str
    ) -> None:
        ca = LabCA()
        issued = ca.issue(FQDN)
        (tmp / "ca.pem").write_bytes(ca.cert_pem)
        (tmp / "other-ca.pem").write_bytes(LabCA("another CA").cert_pem)
        (tmp / "cert.pem").write_bytes(issued.cert_pem)
        (tmp / "key.pem").write_bytes(issued.key_pem)
        self.ca, self.other_ca = tmp / "ca.pem", tmp / "other-ca.pem"
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version, ctx.maximum_version = lowest, highest
        ctx.set_ciphers(ciphers)
        ctx.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
        self.ctx = ctx
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            conn.settimeout(2)
            try:
                with self.ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)  # until the client hangs up
            except (OSError, ssl.SSLError):
                conn.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    servers: list[TLSServer] = []

    def start(
        lowest: ssl.TLSVersion, highest: ssl.TLSVersion, ciphers: str = "ALL:@SECLEVEL=0"
    ) -> TLSServer:
        servers.append(TLSServer(tmp_path, lowest, highest, ciphers))
        return servers[-1]

    tlsprobe._SILENT.clear()
    probes._futures.clear()  # a port number an earlier test's server had is a new server
    yield start
    for server in servers:
        server.close()


def _ask(server: TLSServer, version: ssl.TLSVersion) -> tlsprobe.Probe:
    return tlsprobe.accepts_version("127.0.0.1", server.port, FQDN, version, 2.0)


V10, V11, V12 = ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_2


def _can_speak_tls10() -> bool:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = V10
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        return False
    return True


legacy = pytest.mark.skipif(not _can_speak_tls10(), reason="this OpenSSL has no TLS 1.0")


def test_a_server_refusing_both_legacy_versions_is_asked_once(serve):
    server = serve(V12, ssl.TLSVersion.TLSv1_3)
    for version in (V10, V11):
        probe = _ask(server, version)
        assert not probe.answer.ok
        assert probe.client == "client offering TLSv1 and TLSv1.1"
    assert server.connections == 1


@legacy
def test_a_server_speaking_both_is_asked_about_the_lower_one_alone(serve):
    server = serve(V10, V11)
    assert _ask(server, V11).answer.protocol == "TLSv1.1"
    lower = _ask(server, V10)
    assert (lower.client, lower.answer.protocol) == ("TLSv1-only client", "TLSv1")
    assert server.connections == 2


@legacy
def test_a_server_speaking_only_tls10_is_not_taken_to_speak_tls11(serve):
    server = serve(V10, V10)
    assert _ask(server, V10).answer.protocol == "TLSv1"
    higher = _ask(server, V11)
    assert higher.client == "TLSv1.1-only client"
    assert not higher.answer.ok
    assert server.connections == 2


def _observe(server: TLSServer, cafile: Path) -> tlsprobe.Observation:
    return tlsprobe.observe("127.0.0.1", server.port, FQDN, cafile, 2.0)


def test_a_chain_that_validates_costs_one_handshake(serve):
    server = serve(V12, ssl.TLSVersion.TLSv1_3)
    seen = _observe(server, server.ca)
    assert seen.served.ok and seen.chain.ok
    assert seen.subject_cn == [FQDN]
    assert server.connections == 1


def test_a_chain_that_fails_is_looked_at_again_without_verification(serve):
    server = serve(V12, ssl.TLSVersion.TLSv1_3)
    seen = _observe(server, server.other_ca)
    assert seen.served.ok, "the certificate served is still known"
    assert seen.subject_cn == [FQDN]
    assert not seen.chain.ok
    assert "unable to get local issuer certificate" in seen.chain.error
    assert server.connections == 2


def _suites(server: TLSServer, kind: str) -> tlsprobe.Probe:
    return tlsprobe.accepts_suites("127.0.0.1", server.port, FQDN, kind, 2.0)


BOTH_KINDS = "TLS 1.2 client offering only kRSA, aNULL and eNULL suites"


def test_a_server_refusing_static_rsa_and_broken_suites_is_asked_once(serve):
    server = serve(V12, ssl.TLSVersion.TLSv1_3, "ECDHE+AESGCM")
    for kind in (tlsprobe.STATIC_RSA, tlsprobe.BROKEN):
        probe = _suites(server, kind)
        assert not probe.answer.ok
        assert probe.client == BOTH_KINDS
    assert server.connections == 1


def test_a_server_taking_static_rsa_is_asked_about_broken_suites_alone(serve):
    server = serve(V12, V12, "kRSA:!eNULL:@SECLEVEL=0")
    rsa = _suites(server, tlsprobe.STATIC_RSA)
    assert (rsa.client, rsa.answer.ok) == (BOTH_KINDS, True)
    broken = _suites(server, tlsprobe.BROKEN)
    assert broken.client.startswith("TLS 1.2 client offering only anonymous")
    assert not broken.answer.ok
    assert server.connections == 2


def test_a_server_taking_anonymous_suites_is_caught_and_asked_about_static_rsa_alone(serve):
    server = serve(V12, V12, "aNULL:@SECLEVEL=0")
    broken = _suites(server, tlsprobe.BROKEN)
    assert (broken.client, broken.answer.ok) == (BOTH_KINDS, True)
    assert broken.answer.cipher.startswith(("ADH", "AECDH"))
    rsa = _suites(server, tlsprobe.STATIC_RSA)
    assert (rsa.client, rsa.answer.ok) == ("TLS 1.2 client offering only kRSA", False)
    assert server.connections == 2


def test_an_unencrypted_suite_is_caught(serve):
    server = serve(V12, V12, "ECDHE+AESGCM:eNULL:!aNULL:!kRSA:@SECLEVEL=0")
    broken = _suites(server, tlsprobe.BROKEN)
    assert broken.answer.ok and "NULL" in broken.answer.cipher
