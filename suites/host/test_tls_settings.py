"""1.1.2: TLS on, and the certificate, key, CA and DH files read from files (`<path`)."""

from __future__ import annotations

from typing import get_args

import pytest

from dovecheck.certfile import dns_names, first_certificate, is_ca
from dovecheck.dhparams import prime_bits
from dovecheck.hostfacts import tls_file_settings
from dovecheck.inventory import Protocol
from dovecheck.mailconf import effective, filtered
from dovecheck.tlsprobe import name_matches
from dovecheck.versions import require_23_settings

PROTOCOLS = get_args(Protocol)  # every protocol block that may set its own ssl_cert


@pytest.mark.requirement("TLS-ENABLED")
def test_ssl_is_yes_or_required_for_every_protocol(facts, evidence):
    config = facts.config
    values = {p: effective(config, "ssl", p) for p in facts.host.expect.protocols}
    # a local/remote/local_name block can switch TLS off for one address or network
    for label, (_, value) in filtered(config, "ssl").items():
        values[label] = value
    evidence.add("effective ssl per protocol, and in each filter block that sets it", values)
    off = {p: v for p, v in values.items() if v not in ("yes", "required")}
    assert not off, f"TLS is not enabled for {off} (ssl must be yes or required)"


@pytest.mark.requirement("TLS-FILE-PREFIX")
def test_tls_file_settings_start_with_a_leading_less_than(facts, evidence):
    require_23_settings(facts.config, "ssl_cert", "ssl_key", "ssl_ca", "ssl_dh")
    settings = tls_file_settings(facts, evidence)
    evidence.add("TLS file settings", settings)
    bare = [k for k, v in settings.items() if v and not v.startswith("<")]
    assert not bare, f"{bare} do not start with '<': Dovecot reads the value, not the file"


def _file_setting(facts, evidence, *names: str) -> None:
    __tracebackhide__ = True
    require_23_settings(facts.config, *names)
    settings = tls_file_settings(facts, evidence)
    for name in names:
        value = settings[name]
        assert value, f"{name} is not set"
        assert value.startswith("<"), f"{name} = {value!r} is not a file (<path)"
        st = facts.stat(value[1:], evidence)
        assert st.kind == "regular file", f"{name}: {st.describe()}"


@pytest.mark.requirement("TLS-CERT-KEY-PATHS", "TLS-CERT-FILE", "TLS-KEY-FILE")
def test_ssl_cert_and_ssl_key_name_existing_files(facts, evidence):
    _file_setting(facts, evidence, "ssl_cert", "ssl_key")


@pytest.mark.requirement("TLS-CERT-KEY-PATHS")
def test_ssl_cert_is_the_servers_own_certificate(facts, evidence):
    """1.1.2 step 3 points ssl_cert at the *server's* certificate: one issued for its FQDN,
    not the CA's (that belongs in ssl_ca) nor another host's. Judged from the file, globally
    and in each protocol block (a local_name block may serve other names on purpose), so it
    holds when the wrong file leaves Dovecot unable to serve TLS at all."""
    require_23_settings(facts.config, "ssl_cert")
    fqdn = facts.host.fqdn
    paths = {
        value[1:]
        for value in {effective(facts.config, "ssl_cert", p) for p in (None, *PROTOCOLS)}
        if value.startswith("<")
    }
    if not paths:
        pytest.skip("ssl_cert names no file (TLS-FILE-PREFIX reports it)")
    for path in sorted(paths):
        cert = first_certificate(facts.read(path, evidence))
        names = dns_names(cert)
        evidence.add(
            f"{path}: the first certificate",
            f"subject {cert.subject.rfc4514_string()}; names {names}; CA: {is_ca(cert)}",
        )
        assert any(name_matches(n, fqdn) for n in names), (
            f"{path} is issued for {names}, not for {fqdn}: "
            + ("the CA's certificate" if is_ca(cert) else "another host's certificate")
        )


@pytest.mark.requirement("TLS-CA-PATH", "TLS-CA-FILE")
def test_ssl_ca_names_an_existing_file(facts, evidence):
    _file_setting(facts, evidence, "ssl_ca")


@pytest.mark.requirement("TLS-DH-PATH")
def test_ssl_dh_names_an_existing_file(facts, evidence):
    _file_setting(facts, evidence, "ssl_dh")


@pytest.mark.requirement("TLS-DH-PARAMS")
def test_dh_parameters_are_at_least_4096_bits(facts, evidence):
    require_23_settings(facts.config, "ssl_dh")
    value = tls_file_settings(facts)["ssl_dh"]
    assert value.startswith("<"), f"ssl_dh = {value!r} is not a file"
    bits = prime_bits(facts.read(value[1:]))
    evidence.add("DH parameters", f"{value[1:]}: {bits} bits")
    assert bits >= 4096, f"{value[1:]} holds {bits}-bit DH parameters; the guide generates 4096"
