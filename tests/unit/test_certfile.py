"""The host's ssl_cert file is judged by the names a client checks and by whose it is."""

from __future__ import annotations

import pytest

from dovecheck.certfile import dns_names, first_certificate, is_ca
from dovecheck.errors import CheckError
from dovecheck.lab.pki import LabCA


def test_a_server_certificate_with_its_chain_is_read_first():
    ca = LabCA()
    issued = ca.issue("mail.example.test")
    cert = first_certificate((issued.cert_pem + ca.cert_pem).decode())
    assert dns_names(cert) == ["mail.example.test"]
    assert not is_ca(cert)


def test_the_ca_certificate_is_told_apart():
    cert = first_certificate(LabCA("a lab CA").cert_pem.decode())
    assert is_ca(cert)
    assert dns_names(cert) == ["a lab CA"]  # no SAN: the subject's CN is all it names


def test_a_file_without_a_certificate_is_an_error():
    with pytest.raises(CheckError, match="holds no PEM certificate"):
        first_certificate("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
