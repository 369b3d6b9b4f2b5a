"""1.1.2 and 1.1.5 prerequisites: clients trust the CA, and the certificate names the FQDN.

Checked on every TLS service of the connection table, since each can serve its own
certificate (protocol and local blocks).
"""

import datetime as dt
import ipaddress

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from dovecheck.certfile import first_certificate
from dovecheck.dnslookup import lookup
from dovecheck.mailconf import effective
from dovecheck.services import TLS_SERVICES
from dovecheck.tlsprobe import name_matches

SERVICES = pytest.mark.parametrize("service", TLS_SERVICES, ids=lambda s: s.name)


@SERVICES
@pytest.mark.requirement("TLS-CLIENTS-TRUST-CA")
def test_certificate_chain_validates_against_the_inventory_ca(observe_tls, service):
    obs = observe_tls(service)
    assert obs.served.ok, f"port {service.port}: {obs.describe()}"
    assert obs.chain.ok, f"port {service.port}: chain does not validate: {obs.chain.error}"


@SERVICES
@pytest.mark.requirement("TLS-CERT-FQDN")
def test_certificate_names_the_server_fqdn(observe_tls, service, endpoint):
    obs = observe_tls(service)
    fqdn = endpoint.host.fqdn
    assert obs.served.ok, f"port {service.port}: {obs.describe()}"
    assert any(name_matches(n, fqdn) for n in obs.san_dns), (
        f"port {service.port}: SAN {obs.san_dns} does not match {fqdn}"
    )
    assert any(name_matches(n, fqdn) for n in obs.subject_cn), (
        f"port {service.port}: Subject CN {obs.subject_cn} does not match {fqdn}"
    )


@pytest.mark.requirement("TLS-FQDN-RESOLVES")
def test_the_fqdn_resolves_to_the_audited_address(endpoint, evidence):
    """The name check of a client's TLS proves it reached *a* holder of the certificate;
    only DNS makes it this server. Asked per address family, of the inventory's resolvers."""
    host = endpoint.host
    found = lookup(host.fqdn, endpoint.family, [str(r) for r in host.resolvers], host.timeout)
    evidence.add("DNS lookup", found.describe())
    audited = ipaddress.ip_address(endpoint.address)
    assert audited in {ipaddress.ip_address(a) for a in found.addresses}, (
        f"{found.describe()}; the audited address {endpoint.address} is not among them"
    )


@SERVICES
@pytest.mark.requirement("TLS-CERT-VALIDITY")
def test_the_certificate_is_valid_and_not_about_to_expire(observe_tls, service, endpoint):
    """Clients stop trusting a certificate the day it expires: warn while there is time."""
    obs = observe_tls(service)
    if not obs.served.ok:
        pytest.skip(
            f"port {service.port} serves no TLS, so no certificate to date "
            "(the connection checks report it)"
        )
    cert = obs.certificate
    now = dt.datetime.now(dt.UTC)
    window = endpoint.host.expect.tls_expiry_warning_days
    assert cert.not_valid_before_utc <= now, (
        f"port {service.port}: not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    )
    left = cert.not_valid_after_utc - now
    assert left > dt.timedelta(days=window), (
        f"port {service.port}: expires {cert.not_valid_after_utc:%Y-%m-%d} "
        + (f"({left.days} days left" if left.total_seconds() > 0 else "(already expired")
        + f"; warning window {window} days, inventory expect.tls_expiry_warning_days)"
    )


@SERVICES
@pytest.mark.requirement("TLS-CERT-KEY-PATHS")
def test_the_served_certificate_is_the_one_ssl_cert_names(
    observe_tls, service, endpoint_facts, evidence
):
    """A handshake proves the server holds the key of what it serves; serving the file
    ssl_cert names proves cert and key match, and that a renewed file was reloaded."""
    obs = observe_tls(service)
    if not obs.served.ok:
        pytest.skip(
            f"port {service.port} serves no TLS, so no certificate to compare "
            "(the connection checks report it)"
        )
    value = effective(endpoint_facts.config, "ssl_cert", service.protocol)
    assert value.startswith("<"), f"ssl_cert = {value!r} is not a file"
    on_disk = first_certificate(endpoint_facts.read(value[1:]))
    evidence.add(
        "ssl_cert file",
        f"{value[1:]}: {on_disk.subject.rfc4514_string()}, serial {on_disk.serial_number:x}",
    )
    assert on_disk.public_bytes(Encoding.DER) == obs.served.der, (
        f"port {service.port} serves serial {obs.certificate.serial_number:x}, but "
        f"{value[1:]} holds serial {on_disk.serial_number:x} (not reloaded, or another file)"
    )
