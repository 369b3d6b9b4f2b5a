"""The lab self-tests share one lab: the reference host plus a host per fail scenario,
audited by one dovecheck run from the client namespace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .scenarios import REFERENCE, load_scenarios

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _lab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "lab"), *args], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="session")
def lab_up() -> Iterator[None]:
    if os.geteuid() != 0:
        pytest.skip("the lab self-tests need root (network namespaces)")
    args = ["up"]
    for s in load_scenarios():
        args += ["--add-host", f"{s.name}=pam", "--overlay", f"{s.name}={s.path}"]
    proc = _lab(*args)
    assert proc.returncode == 0, f"lab up failed:\n{proc.stdout}\n{proc.stderr}"
    yield
    proc = _lab("down")
    assert proc.returncode == 0, f"lab down failed:\n{proc.stderr}"


@pytest.fixture(scope="session")
def audit(lab_up, tmp_path_factory) -> dict[str, dict[str, dict]]:
    """{host: {requirement: row}} from one dovecheck run over every lab host."""
    report_dir = tmp_path_factory.mktemp("reports")
    hosts = [REFERENCE, *(s.name for s in load_scenarios())]
    argv = [
        "ip",
        "netns",
        "exec",
        "dcl-client",
        str(VENV_BIN / "pytest"),
        "-q",
        "--rootdir",
        str(ROOT),
        str(ROOT / "suites"),
        f"--report-dir={report_dir}",
    ]
    for h in hosts:
        argv += ["--host", h]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    reports = sorted(report_dir.glob("dovecheck-*.json"))
    assert reports, f"no JSON report written:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"
    doc = json.loads(reports[-1].read_text())
    rows: dict[str, dict[str, dict]] = {}
    for row in doc["rows"]:
        rows.setdefault(row["host"], {})[row["requirement"]] = row
    return rows
