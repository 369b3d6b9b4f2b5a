"""Certificate name matching as RFC 6125 has it."""

import pytest

from dovecheck.tlsprobe import name_matches


@pytest.mark.parametrize(
    ("pattern", "fqdn", "ok"),
    [
        ("mail.example.com", "mail.example.com", True),
        ("MAIL.example.com.", "mail.example.com", True),
        ("*.example.com", "mail.example.com", True),
        ("*.example.com", "a.b.example.com", False),
        ("*.com", "example.com", False),
        ("mail.example.net", "mail.example.com", False),
        ("m*.example.com", "mail.example.com", False),
    ],
)
def test_name_matches(pattern, fqdn, ok):
    assert name_matches(pattern, fqdn) is ok
