"""The DH group a server really uses for DHE suites, as `openssl s_client` reports it
("Server Temp Key: DH, 4096 bits"): Python's ssl module does not expose it."""

from __future__ import annotations

import re
import subprocess

from .errors import CheckError
from .probes import memoized
from .tlsprobe import connect

# by service name
OPENSSL_STARTTLS = {"imap": "imap", "pop3": "pop3", "sieve": "sieve", "lmtp": "lmtp"}
_TEMP_KEY = re.compile(r"Server Temp Key: DH, (\d+) bits")


@memoized
def dhe_group_bits(
    address: str, port: int, fqdn: str, service: str, timeout: float
) -> tuple[int | None, str]:
    """(bits, openssl's summary); bits is None when the server agrees to no DHE suite."""
    connect(address, port, timeout).close()  # unreachable is an error, not "no DHE"
    host = f"[{address}]" if ":" in address else address
    argv = [
        "openssl",
        "s_client",
        "-connect",
        f"{host}:{port}",
        "-servername",
        fqdn,
        "-tls1_2",
        "-cipher",
        "DHE:@SECLEVEL=0",
    ]
    if service in OPENSSL_STARTTLS:
        argv += ["-starttls", OPENSSL_STARTTLS[service]]
    try:
        proc = subprocess.run(
            argv, input="", capture_output=True, text=True, timeout=timeout + 5, check=False
        )
    except FileNotFoundError as exc:
        raise CheckError("openssl is not installed where the harness runs") from exc
    except subprocess.TimeoutExpired as exc:
        raise CheckError(f"openssl s_client to {host}:{port} did not finish") from exc
    summary = "\n".join(
        line
        for line in proc.stdout.splitlines()
        if "Temp Key" in line or "Cipher is" in line or "Protocol" in line
    )
    m = _TEMP_KEY.search(proc.stdout)
    return (int(m.group(1)) if m else None), summary or proc.stderr.strip()[-300:]
