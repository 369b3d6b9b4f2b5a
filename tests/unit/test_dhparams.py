"""DH parameter sizes, from what `openssl genpkey -genparam` writes."""

from __future__ import annotations

import subprocess

import pytest

from dovecheck.dhparams import prime_bits
from dovecheck.errors import CheckError


@pytest.mark.parametrize("group,bits", [("ffdhe2048", 2048), ("ffdhe4096", 4096)])
def test_prime_bits_of_rfc7919_groups(group, bits):
    pem = subprocess.run(
        ["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", f"group:{group}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert prime_bits(pem) == bits


def test_garbage_is_an_error():
    with pytest.raises(CheckError):
        prime_bits("-----BEGIN DH PARAMETERS-----\nAAAA\n-----END DH PARAMETERS-----")
