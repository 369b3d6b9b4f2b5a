"""The DHE probe against a real OpenSSL server (Python's ssl module, on the loopback):
the group it reads is the one the server was given, a server without DHE answers with
an alert, and an answer that is not TLS is an error, never "no DHE"."""

from __future__ import annotations

import contextlib
import datetime
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from dovecheck.dhe import client_hello, dhe_group_bits, read_server_flight
from dovecheck.errors import CheckError


@pytest.fixture(scope="module")
def cert_files(tmp_path_factory) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("dhe")
    (d / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return d / "cert.pem", d / "key.pem"


def _dh_file(tmp_path: Path, group: str) -> Path:
    pem = subprocess.run(
        ["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", f"group:{group}"],
        capture_output=True,
        check=True,
    ).stdout
    path = tmp_path / f"{group}.pem"
    path.write_bytes(pem)
    return path


def _serve_once(answer) -> int:
    """A loopback listener that hands its one connection to `answer`; returns the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def run() -> None:
        with listener:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(5)
                # the probe hangs up after the ServerKeyExchange, by design
                with contextlib.suppress(OSError, ssl.SSLError):
                    answer(conn)

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1]


def _tls_server(cert_files, ciphers: str, dh: Path | None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*cert_files)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(ciphers)
    if dh is not None:
        ctx.load_dh_params(str(dh))

    def answer(conn: socket.socket) -> None:
        ctx.wrap_socket(conn, server_side=True).close()

    return answer


@pytest.mark.parametrize("group,bits", [("ffdhe2048", 2048), ("ffdhe4096", 4096)])
def test_reads_the_group_the_server_was_given(cert_files, tmp_path, group, bits):
    port = _serve_once(_tls_server(cert_files, "DHE", _dh_file(tmp_path, group)))
    probe = dhe_group_bits("127.0.0.1", port, "localhost", 5.0)
    assert probe.bits == bits, probe.summary
    assert "DHE-RSA" in probe.summary


def test_a_server_without_dhe_suites_answers_with_an_alert(cert_files):
    port = _serve_once(_tls_server(cert_files, "ECDHE", None))
    probe = dhe_group_bits("127.0.0.1", port, "localhost", 5.0)
    assert probe.bits is None
    assert "handshake_failure" in probe.summary


def test_an_answer_that_is_not_tls_says_so_and_is_not_no_dhe():
    """A port that does no TLS is the connection checks' finding; here it must not read as
    a server that merely refused DHE."""
    port = _serve_once(lambda conn: conn.sendall(b"* BYE Internal error\r\n"))
    probe = dhe_group_bits("127.0.0.1", port, "localhost", 5.0)
    assert probe.bits is None and not probe.tls
    assert "not a TLS record" in probe.summary


def test_a_tls_answer_that_breaks_the_protocol_is_an_error():
    hello = b"\x03\x03" + bytes(32) + b"\x00" + b"\xc0\x2f" + b"\x00"  # ECDHE: not offered
    record = b"\x16\x03\x03" + (len(hello) + 4).to_bytes(2, "big")
    record += b"\x02" + len(hello).to_bytes(3, "big") + hello
    port = _serve_once(lambda conn: (conn.recv(4096), conn.sendall(record)))
    with pytest.raises(CheckError, match="was not offered"):
        dhe_group_bits("127.0.0.1", port, "localhost", 5.0)


def test_a_flight_split_across_records_and_reads_is_reassembled():
    """Servers may fragment handshake messages over records; TCP may split anything."""
    p = (1 << 3071) | 1
    ske = (384).to_bytes(2, "big") + p.to_bytes(384, "big") + b"\x00\x01\x02" + b"\x00\x00"
    hello = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x9f" + b"\x00"
    messages = b"\x02" + len(hello).to_bytes(3, "big") + hello
    messages += b"\x0c" + len(ske).to_bytes(3, "big") + ske
    half = len(messages) // 2
    records = b"".join(
        b"\x16\x03\x03" + len(part).to_bytes(2, "big") + part
        for part in (messages[:half], messages[half:])
    )
    chunks = [records[i : i + 7] for i in range(0, len(records), 7)]
    probe = read_server_flight(lambda n: chunks.pop(0) if chunks else b"")
    assert probe.bits == 3072
    assert "DHE-RSA-AES256-GCM-SHA384" in probe.summary


def test_the_client_hello_is_one_well_formed_record():
    record = client_hello("mail.example.com")
    assert record[0] == 22 and int.from_bytes(record[3:5], "big") == len(record) - 5
    assert b"mail.example.com" in record
