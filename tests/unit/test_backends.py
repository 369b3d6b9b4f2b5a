"""The backend .ext files: parsing, and their secrets kept out of evidence."""

from __future__ import annotations

import pytest

from dovecheck.backends import connect_fields, fill, hash_scheme, ldap_uris, parse_ext
from dovecheck.errors import CheckError
from dovecheck.evidence import Evidence

LDAP = """# dovecot-ldap.conf.ext
dn = cn=dovecot_LDAP,dc=example,dc=com
dnpass = Sup3r-s3cret-dnpass
pass_filter = (&(objectClass=posixAccount)(uid=%n))
auth_bind = yes
uris = ldaps://LDAP-srv.example.com ldap://backup.example.com:3389
tls_require_cert = hard
"""

SQL = (
    "driver = mysql\n"
    "connect = host=mariadb_srv.example.com dbname=dovecotDB user=dovecot "
    'password="db pw with spaces" ssl_ca=/etc/pki/tls/certs/ca.crt\n'
    "default_pass_scheme = SHA512-CRYPT\n"
)


def test_ldap_settings_and_uris():
    ext = parse_ext("/etc/dovecot/dovecot-ldap.conf.ext", LDAP)
    assert ext.get("auth_bind") == "yes"
    assert ext.get("pass_filter") == "(&(objectClass=posixAccount)(uid=%n))"
    assert [u.url for u in ldap_uris(ext)] == [
        "ldaps://ldap-srv.example.com:636",
        "ldap://backup.example.com:3389",
    ]


def test_a_uri_that_is_not_ldap_is_an_error():
    ext = parse_ext("x", "uris = http://example.com\n")
    with pytest.raises(CheckError, match="not an ldap"):
        ldap_uris(ext)


def test_secrets_never_reach_evidence():
    ldap = parse_ext("/etc/dovecot/dovecot-ldap.conf.ext", LDAP)
    sql = parse_ext("/etc/dovecot/dovecot-sql.conf.ext", SQL)
    ev = Evidence()
    ev.add("ldap", ldap.excerpt())
    ev.add("sql", sql.excerpt())
    ev.add("raw, as a careless check might", LDAP + SQL)
    text = "\n".join(b for _, b in ev.items)
    assert "Sup3r-s3cret-dnpass" not in text
    assert "db pw with spaces" not in text
    assert "uid=%n" in text  # the rest stays readable


def test_connect_string_and_placeholders():
    f = connect_fields(parse_ext("x", SQL).get("connect"))
    assert f["host"] == "mariadb_srv.example.com" and f["ssl_ca"] == "/etc/pki/tls/certs/ca.crt"
    assert fill("SELECT 1 FROM users WHERE username='%u'", "bob").endswith("'bob'")


@pytest.mark.parametrize(
    "stored, want",
    [
        ("$6$salt$hash", (None, "SHA512-CRYPT")),
        ("{SHA512-CRYPT}$6$salt$hash", ("SHA512-CRYPT", "SHA512-CRYPT")),
        ("{plain}secret", ("PLAIN", "PLAIN")),
        ("secret", (None, "unrecognised (plain text or an unknown format)")),
    ],
)
def test_hash_scheme(stored, want):
    assert hash_scheme(stored) == want


# The first packet of the lab's MariaDB 10.11 (Debian 12), recorded; the second copy has the
# CLIENT_SSL capability (0x0800) cleared, as a server without TLS configured sends it.
_MARIADB_GREETING = bytes.fromhex(
    "640000000a352e352e352d31302e31312e31392d4d6172696144422d302b6465623132753100520000007b"
    "6a22655867216a00feff2d0200ff81150000000000001d000000732559745a462e543e765838006d7973716c"
    "5f6e61746976655f70617373776f726400"
)
_WITHOUT_TLS = _MARIADB_GREETING.replace(bytes.fromhex("00feff2d"), bytes.fromhex("00fef72d"))


def test_a_database_server_without_tls_gets_no_credentials(monkeypatch):
    """SQL-SERVER-TLS: the session gives up before authenticating when TLS is not offered
    (no password is sent), and that is a finding."""
    import socket

    from dovecheck import backends
    from dovecheck.errors import Finding

    assert _WITHOUT_TLS != _MARIADB_GREETING
    ours, server = socket.socketpair()
    server.sendall(_WITHOUT_TLS)
    monkeypatch.setattr(backends, "connect_from", lambda *a: ours)

    class Via:
        class inv_host:
            name = "mx1"

    target = backends.sql_target(
        parse_ext("x", "connect = host=db.example.com dbname=d user=dovecot password=pw\n")
    )
    with pytest.raises(Finding, match="does not offer TLS"):
        backends.sql_connect(Via, target, "", 2.0)
    server.settimeout(0.5)
    try:
        sent = server.recv(4096)
    except TimeoutError:
        sent = b""
    assert b"pw" not in sent and b"dovecot" not in sent
