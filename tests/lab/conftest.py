"""The lab self-tests share one lab: the reference host plus a host per fail scenario,
audited by one dovecheck run from the client namespace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from dovecheck.lab.topology import CLIENT_NS, PREFIX

from . import ipv4only
from .scenarios import (
    EXTRA_REFERENCES,
    REFERENCE,
    REFERENCE_PARTNERS,
    REFERENCES,
    ipv4_only_hosts,
    load_scenarios,
)

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _lab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "lab"), *args], capture_output=True, text=True, timeout=300, check=False
    )


def dovecot_errors(*hosts: str | None) -> str:
    """The hosts' recent Dovecot warnings and errors: when a verdict is wrong only under a CI
    machine's load, this is all the next reader has to tell a harness bug from a slow server."""
    parts = []
    for host in filter(None, hosts):
        proc = _lab("exec", host, "doveadm", "log", "errors")
        lines = (proc.stdout or proc.stderr).strip().splitlines()
        parts.append(f"{host}'s Dovecot warnings and errors (last 30 of {len(lines)}):")
        parts += lines[-30:]
    return "\n".join(parts)


def root_namespace_state() -> dict[str, str]:
    """What the lab must never change: the machine's own interfaces, addresses, routes, rules."""
    cmds = {
        "addr": ["ip", "-br", "addr"],
        "route": ["ip", "route"],
        "route6": ["ip", "-6", "route"],
        "link": ["ip", "-br", "link"],
        "nft": ["nft", "list", "ruleset"],
    }
    state = {}
    for key, argv in cmds.items():
        try:
            state[key] = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
        except FileNotFoundError:
            state[key] = "(not installed)"
    return state


STALE_NS = f"{PREFIX}stale"


def plant_crashed_run() -> subprocess.Popen[bytes]:
    """Leave what a crashed run would: a lab namespace with a process still in it."""
    subprocess.run(["ip", "netns", "add", STALE_NS], check=True)
    return subprocess.Popen(
        ["ip", "netns", "exec", STALE_NS, "sleep", "600"], start_new_session=True
    )


@pytest.fixture(scope="session")
def lab_up() -> Iterator[dict]:
    """The shared lab; yields the root namespace's state from before it existed."""
    if os.geteuid() != 0:
        pytest.skip("the lab self-tests need root (network namespaces)")
    _lab("down")
    before = root_namespace_state()
    stale = plant_crashed_run()
    args = ["up"]
    for name, profile in EXTRA_REFERENCES.items():
        args += ["--add-host", f"{name}={profile}"]
        if name in REFERENCE_PARTNERS:
            partner = REFERENCE_PARTNERS[name]
            args += ["--add-host", f"{partner}={profile}", "--partner", f"{name}={partner}"]
    for s in load_scenarios():
        args += ["--add-host", f"{s.name}={s.profile}", "--overlay", f"{s.name}={s.path}"]
        if s.partner:
            args += ["--add-host", f"{s.partner}={s.profile}", "--partner", f"{s.name}={s.partner}"]
    proc = _lab(*args)
    assert proc.returncode == 0, f"lab up failed:\n{proc.stdout}\n{proc.stderr}"
    yield {"before": before, "stale": stale, "up_output": proc.stdout}
    _lab("down")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`lab down` is proven last, once every other self-test has used the lab."""
    items.sort(key=lambda i: i.get_closest_marker("lab_down_last") is not None)


def run_audit(
    hosts: list[str],
    report_dir: Path,
    *extra: str,
    ipv4_only: Sequence[str] = (),
    workers: int = 8,
) -> subprocess.CompletedProcess[str]:
    """One dovecheck run from the client namespace, hosts in parallel, one worker per host;
    the endpoint checks of `ipv4_only` hosts over IPv4 alone (tests/lab/ipv4only.py).
    `workers=0` audits in the one process (one host: no workers to start, each collecting)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # nine processes would each recompile the suites
    if ipv4_only:
        env[ipv4only.ENV] = ",".join(ipv4_only)
        extra = ("-p", "tests.lab.ipv4only", *extra)
    argv = [
        "ip",
        "netns",
        "exec",
        CLIENT_NS,
        str(VENV_BIN / "pytest"),
        "-q",
        *(("-n", str(workers), "--dist", "loadgroup") if workers else ()),
        "--rootdir",
        str(ROOT),
        str(ROOT / "suites"),
        f"--report-dir={report_dir}",
        "--destructive",  # lab hosts are disposable: the self-healing check runs too
        *extra,
    ]
    for h in hosts:
        argv += ["--host", h]
    return subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )


class AuditRun(dict):
    """{host: {requirement: row}}, plus the reference host's mail store before and after."""

    store_before: str = ""
    store_after: str = ""
    report_text: str = ""


# Every file of the mail store outside the test accounts, with its checksum.
STORE_SUMS = (
    "cd /var/mail && find . -path ./dctest1 -prune -o -path ./dctest2 -prune "
    "-o -type f -print0 | sort -z | xargs -0 -r sha256sum"
)


def mail_store_sums(host: str) -> str:
    proc = _lab("exec", host, "sh", "-c", STORE_SUMS)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="session")
def audit(lab_up, tmp_path_factory) -> AuditRun:
    """{host: {requirement: row}} from one dovecheck run over every lab host."""
    report_dir = tmp_path_factory.mktemp("reports")
    hosts = [*REFERENCES, *(s.name for s in load_scenarios())]
    run = AuditRun()
    run.store_before = mail_store_sums(REFERENCE)
    # no tracebacks on the terminal: the JSON report is what is judged, and pytest spent
    # minutes printing a thousand expected failures
    proc = run_audit(hosts, report_dir, "--tb=no", ipv4_only=ipv4_only_hosts())
    run.store_after = mail_store_sums(REFERENCE)
    reports = sorted(report_dir.glob("dovecheck-*.json"))
    assert reports, f"no JSON report written:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"
    run.report_text = reports[-1].read_text()
    doc = json.loads(run.report_text)
    for row in doc["rows"]:
        run.setdefault(row["host"], {})[row["requirement"]] = row
    return run
