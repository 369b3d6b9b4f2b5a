"""1.1.2: TLS with perfect forward secrecy: the negotiated key exchange is ephemeral, a client
offering only RSA key exchange is refused, and DHE uses a group of the guide's 4096 bits.
And, Dovecot's secure defaults kept: TLS 1.0 and 1.1 are refused, and so are suites that
authenticate nobody (aNULL: anyone in the middle can answer) or encrypt nothing (eNULL:
the credentials cross the network as they are), which an ssl_cipher_list ending in
@SECLEVEL=0 lets back in."""

from __future__ import annotations

import ssl

import pytest

from dovecheck.dhe import dhe_group_bits
from dovecheck.services import TLS_SERVICES
from dovecheck.tlsprobe import (
    BROKEN,
    STATIC_RSA,
    Handshake,
    Observation,
    accepts_suites,
    accepts_version,
    is_forward_secret,
)

SERVICES = pytest.mark.parametrize("service", TLS_SERVICES, ids=lambda s: s.name)
PFS = pytest.mark.requirement("TLS-PFS")


def _require_tls(observe_tls, service) -> Observation:
    """A port that serves no TLS refuses every probe, and that refusal proves nothing about
    which TLS it would accept: a skip (the connection checks report the port). Asked only
    after a refusal: a probe the port accepted is a finding whatever else it refuses (a
    server speaking TLS 1.0 alone refuses the observing client, which wants 1.2)."""
    obs = observe_tls(service)
    if not obs.served.ok:
        pytest.skip(f"port {service.port} serves no TLS (the connection checks report it)")
    return obs


def _answer(endpoint, service, evidence, reach, ask, what) -> Handshake:
    """The port's answer to a probing client (`ask`: accepts_suites about a kind of suites,
    or accepts_version about a version), in evidence with the client that asked."""
    h, to = endpoint.host, reach(service)
    probe = ask(to.address, to.port, h.fqdn, what, h.timeout, service.upgrade)
    answer = probe.answer
    evidence.add(
        f"{probe.client} (SECLEVEL=0), {to.where}",
        f"accepted: {answer.protocol} {answer.cipher}" if answer.ok else f"refused: {answer.error}",
    )
    return answer


@SERVICES
@PFS
def test_the_negotiated_key_exchange_is_ephemeral(observe_tls, service):
    obs = _require_tls(observe_tls, service)
    assert is_forward_secret(obs.served.protocol, obs.served.cipher), (
        f"port {service.port} negotiated {obs.served.protocol} {obs.served.cipher}"
    )


@SERVICES
@PFS
def test_rsa_key_exchange_without_forward_secrecy_is_refused(
    endpoint, service, evidence, reach, observe_tls
):
    answer = _answer(endpoint, service, evidence, reach, accepts_suites, STATIC_RSA)
    assert not answer.ok, f"port {service.port} accepted {answer.cipher} (no forward secrecy)"
    _require_tls(observe_tls, service)


@SERVICES
@pytest.mark.requirement("TLS-DH-PARAMS")
def test_a_dhe_handshake_uses_a_group_of_at_least_4096_bits(endpoint, service, evidence, reach):
    """What the ssl_dh file is for: the group a DHE key exchange really uses (1.1.2 step 2)."""
    h, to = endpoint.host, reach(service)
    probe = dhe_group_bits(to.address, to.port, h.fqdn, h.timeout, service.upgrade)
    evidence.add(f"TLS 1.2 ClientHello offering only DHE suites, {to.where}", probe.summary)
    if not probe.tls:
        pytest.skip(f"port {service.port} serves no TLS (the connection checks report it)")
    if probe.bits is None:
        pytest.skip(f"port {service.port} agrees to no DHE suite ({probe.summary}): no DH group")
    bits = probe.bits
    assert bits >= 4096, f"port {service.port} uses a {bits}-bit DH group; the guide's is 4096"


@SERVICES
@pytest.mark.parametrize(
    "version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1], ids=["tls1.0", "tls1.1"]
)
@pytest.mark.requirement("TLS-SECURE-DEFAULTS")
def test_legacy_tls_versions_are_refused(endpoint, service, version, evidence, reach, observe_tls):
    answer = _answer(endpoint, service, evidence, reach, accepts_version, version)
    assert not answer.ok, f"port {service.port} accepts {answer.protocol}"
    _require_tls(observe_tls, service)


@SERVICES
@pytest.mark.requirement("TLS-SECURE-DEFAULTS")
def test_suites_without_authentication_or_encryption_are_refused(
    endpoint, service, evidence, reach, observe_tls
):
    answer = _answer(endpoint, service, evidence, reach, accepts_suites, BROKEN)
    assert not answer.ok, f"port {service.port} accepted {answer.cipher}, a suite that " + (
        "encrypts nothing" if "NULL" in answer.cipher.split("-")[:3] else "authenticates no one"
    )
    _require_tls(observe_tls, service)
