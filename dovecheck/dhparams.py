"""The size of a PEM "DH PARAMETERS" block, read from its DER without a crypto library
(cryptography warns that finite-field DH is deprecated; reading a length is not using it)."""

from __future__ import annotations

import base64
import re

from .errors import CheckError

_PEM = re.compile(r"-----BEGIN (?:X9\.42 )?DH PARAMETERS-----(.*?)-----END", re.S)


def _length(der: bytes, i: int) -> tuple[int, int]:
    first = der[i]
    if first < 0x80:
        return first, i + 1
    n = first & 0x7F
    return int.from_bytes(der[i + 1 : i + 1 + n], "big"), i + 1 + n


def prime_bits(pem: str) -> int:
    """Bits of p in DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER, ... }."""
    m = _PEM.search(pem)
    if not m:
        raise CheckError("no DH PARAMETERS block in the ssl_dh file")
    try:
        der = base64.b64decode("".join(m.group(1).split()))
        if der[0] != 0x30:
            raise ValueError("not a SEQUENCE")
        _, i = _length(der, 1)
        if der[i] != 0x02:
            raise ValueError("no INTEGER")
        n, i = _length(der, i + 1)
        return int.from_bytes(der[i : i + n], "big").bit_length()
    except (ValueError, IndexError) as exc:
        raise CheckError(f"the ssl_dh file is not valid DH parameters: {exc}") from exc
