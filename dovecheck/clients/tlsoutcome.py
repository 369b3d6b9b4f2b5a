"""One reading of a failed TLS upgrade, for every protocol: a certificate that does not
verify means credentials are withheld (the harness cannot go on: error); a handshake that
does not happen means the service offers no TLS (a finding)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import CheckError, TLSUnavailable


@contextmanager
def tls_outcome(what: str) -> Iterator[None]:
    try:
        yield
    except ssl.SSLCertVerificationError as exc:
        raise CheckError(
            f"{what}: TLS did not verify, credentials withheld: {exc.verify_message}"
        ) from exc
    except (ssl.SSLError, ConnectionError) as exc:
        raise TLSUnavailable(f"{what}: no TLS handshake: {exc}") from exc
