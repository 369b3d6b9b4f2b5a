"""A certificate, as a file on the host or a server serves it: whom it names and whether it
is a CA's.

The host checks judge `ssl_cert` from the file, without a handshake: a CA's certificate or
another host's in its place (with a key that then does not match) leaves Dovecot unable to
serve TLS at all, and the wire checks then see no certificate to compare.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

from .errors import CheckError


def first_certificate(pem: str) -> x509.Certificate:
    """The first certificate of a PEM file: the server's own, in a file with its chain."""
    try:
        return x509.load_pem_x509_certificates(pem.encode())[0]
    except (ValueError, IndexError) as exc:
        raise CheckError(f"the ssl_cert file holds no PEM certificate: {exc}") from exc


def san_dns(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return ext.value.get_values_for_type(x509.DNSName)


def subject_cn(cert: x509.Certificate) -> list[str]:
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def dns_names(cert: x509.Certificate) -> list[str]:
    """The names a client checks (RFC 6125): the DNS subjectAltNames, or the subject's CN
    when there are none."""
    return san_dns(cert) or subject_cn(cert)


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False
