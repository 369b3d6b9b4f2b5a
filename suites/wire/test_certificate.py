"""1.1.2 and 1.1.5 prerequisites: clients trust the CA, and the certificate names the FQDN.

Checked on every TLS service of the connection table, since each can serve its own
certificate (protocol and local blocks).
"""

import pytest

from dovecheck.services import MAIL_SERVICES
from dovecheck.tlsprobe import name_matches

SERVICES = pytest.mark.parametrize("service", MAIL_SERVICES, ids=lambda s: s.name)


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
