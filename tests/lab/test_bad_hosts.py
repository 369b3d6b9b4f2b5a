"""An unreachable host, a host that answers garbage and one that accepts every connection
and then says nothing (hung or overloaded, a tarpit) are errors, quickly, never a pass, and
never a traceback: the run reports them per requirement and goes on."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from dovecheck.lab.topology import CLIENT_NS, STATE_DIR

from .conftest import run_audit

LAB_INVENTORY = STATE_DIR / "inventory.yaml"
# A server on the client's own addresses, on every port of its kind; ANSWER is what it does
# with each connection.
BAD_SERVER = """
import socket, threading
held = []
def answer(c):
ANSWER
def serve(family, addr, port):
    s = socket.socket(family); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(64)
    while True:
        answer(s.accept()[0])
for port in PORTS:
    for fam, addr in ((socket.AF_INET, "198.51.100.10"), (socket.AF_INET6, "2001:db8:100::10")):
        threading.Thread(target=serve, args=(fam, addr, port), daemon=True).start()
threading.Event().wait(300)
"""
BAD_SERVERS = {
    "garbage": (
        (22, 110, 143, 993, 995, 4190),
        '    c.sendall(b"HTTP/1.0 400 Bad Request\\r\\n\\r\\n<html>no</html>\\r\\n")\n'
        "    c.close()",
    ),
    # accepted, never answered, never closed: a hung or overloaded server, a tarpit
    "silent": ((22, 24, 110, 143, 993, 995, 4190, 12345), "    held.append(c)"),
}


def _bad_server(kind: str) -> str:
    ports, answer = BAD_SERVERS[kind]
    return BAD_SERVER.replace("PORTS", repr(ports)).replace("ANSWER", answer)


def _inventory_with(tmp_path: Path, name: str, ipv4: str, ipv6: str) -> Path:
    doc = yaml.safe_load(LAB_INVENTORY.read_text())
    host = dict(doc["hosts"]["server1"])
    host.update(fqdn=f"{name}.example.com", addresses={"ipv4": ipv4, "ipv6": ipv6}, timeout=2)
    host["ssh"] = {"connect_timeout": 2, "command_timeout": 5}
    partner = host.get("expect", {}).get("replication_partner")
    neighbours = {
        n: h
        for n, h in doc["hosts"].items()
        if h.get("role", "dovecot") != "dovecot" or n == partner
    }
    if partner in neighbours:  # the bad host takes server1's place in the pair
        theirs = dict(neighbours[partner])
        theirs["expect"] = {**theirs.get("expect", {}), "replication_partner": name}
        neighbours[partner] = theirs
    doc["hosts"] = {name: host, **neighbours}
    doc["groups"] = {}
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _audit(
    inventory: Path, host: str, report_dir: Path
) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    proc = run_audit([host], report_dir, f"--inventory={inventory}", workers=0)
    return proc, time.monotonic() - start


# Ports 993 and 995 that answer without TLS are findings, not errors: a client there gets
# no TLS at all. Everything else on a garbage host cannot be judged.
NO_TLS_FINDINGS = {"CONN-IMAPS-TLS", "CONN-POP3S-TLS", "TLS-CERT-FQDN", "TLS-CLIENTS-TRUST-CA"}
# Judged without reaching the host: neither made-up name is in the lab's zone (NXDOMAIN).
DNS_FINDINGS = {"TLS-FQDN-RESOLVES"}


def _rows(report_dir: Path) -> list[dict]:
    doc = json.loads(next(report_dir.glob("*.json")).read_text())
    return [r for r in doc["rows"] if r["verdict"] != "not-checked"]


@pytest.mark.parametrize("kind", ["unreachable", "garbage", "silent"])
def test_a_bad_host_is_an_error_for_every_check(lab_up, tmp_path, kind):
    if kind == "unreachable":  # an address nobody holds (lab hosts count up from .31)
        name, server = "ghost", None
        inventory = _inventory_with(tmp_path, name, "198.51.100.254", "2001:db8:100::254")
    else:  # the client's own addresses, where the server answers every port
        name = kind
        inventory = _inventory_with(tmp_path, name, "198.51.100.10", "2001:db8:100::10")
        server = subprocess.Popen(
            ["ip", "netns", "exec", CLIENT_NS, sys.executable, "-c", _bad_server(kind)]
        )
        time.sleep(0.5)
    try:
        proc, seconds = _audit(inventory, name, tmp_path / "reports")
    finally:
        if server is not None:
            server.kill()
    output = proc.stdout + proc.stderr
    # the gate: findings (1) on both: the made-up names are in no zone (NXDOMAIN), and a
    # garbage host's 993 and 995 give no TLS; everything else is a harness error
    assert proc.returncode == 1, output[-3000:]
    assert "Traceback" not in output
    rows = _rows(tmp_path / "reports")
    assert rows, output[-3000:]
    for row in rows:
        if row["requirement"] in DNS_FINDINGS:
            assert row["verdict"] == "fail" and "NXDOMAIN" in row["reason"], row["reason"]
        elif kind == "garbage" and row["requirement"] in NO_TLS_FINDINGS:
            assert row["verdict"] in ("fail", "error") and "no TLS handshake" in row["reason"]
        else:
            assert row["verdict"] in ("error", "skip"), (row["requirement"], row["reason"])
        # said in the harness's words ("no IMAP greeting within 2 s"), not Python's
        assert "TimeoutError" not in row["reason"], (row["requirement"], row["reason"])
    # a silent port is waited on once per run, not once per check (some 70 of them)
    limit = 60 if kind == "silent" else 120
    assert seconds < limit, f"a {kind} host took {seconds:.0f} s"
