"""No secret reaches evidence: values, secret settings, SASL payloads and private keys."""

from __future__ import annotations

import base64

import pytest

from dovecheck.redact import MASK, Redactor


@pytest.mark.parametrize(
    "text",
    [
        "doveadm_password = s3cr3t-replication",
        "dnpass = s3cr3t-replication",
        "connect = host=db dbname=dovecotDB user=dovecot password=s3cr3t-replication ssl_ca=/x",
        'password: "s3cr3t-replication"',
    ],
    ids=["doveadm_password", "dnpass", "sql-connect", "yaml-password"],
)
def test_secret_settings_are_masked(text):
    out = Redactor()(text)
    assert "s3cr3t-replication" not in out and MASK in out


def test_sql_connect_keeps_the_parts_an_auditor_needs():
    out = Redactor()("connect = host=db user=dovecot password=pw1234 ssl_ca=/etc/pki/ca.crt")
    assert "ssl_ca=/etc/pki/ca.crt" in out and "user=dovecot" in out


def test_doveconf_hidden_marker_is_left_alone():
    text = "ssl_key = # hidden, use -P to show it"
    assert Redactor()(text) == text


def test_known_values_are_masked_anywhere():
    r = Redactor()
    r.add("hunter2-hunter2")
    assert r("C: a LOGIN bob hunter2-hunter2") == f"C: a LOGIN bob {MASK}"


def test_a_sasl_plain_payload_is_masked():
    blob = base64.b64encode(b"\0bob\0correct horse battery").decode()
    assert blob not in Redactor()(f"C: a AUTHENTICATE PLAIN {blob}")


def test_a_private_key_block_is_masked():
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    out = Redactor()(f"ssl_key = {pem}")
    assert "MIIEvQ" not in out


def test_a_secret_that_overlaps_another_is_masked_whole() -> None:
    r = Redactor()
    r.add("abcd")
    r.add("cdefghij")
    out = r("x abcdefghij y")
    assert "efghij" not in out and MASK in out
