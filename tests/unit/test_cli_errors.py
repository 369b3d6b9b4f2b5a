"""Bad input stops `pytest --host` with one clear line and a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_inventory import GOOD, write

ROOT = Path(__file__).resolve().parents[2]


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "pytest", "--rootdir", str(ROOT), str(ROOT / "suites"), *args]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    ("make", "host", "message"),
    [
        (
            lambda p: write(p, GOOD),
            "nosuch",
            "no host 'nosuch' in the inventory (servers: mx1, mx2)",
        ),
        (lambda p: write(p, "hosts: [\n"), "mx1", "not valid YAML"),
        (lambda p: p / "missing.yaml", "mx1", "inventory file not found"),
        (
            lambda p: (write(p, GOOD), (p / "KEY").unlink())[0],
            "mx1",
            "hosts.mx1.ssh.key: file not found",
        ),
    ],
    ids=["unknown-host", "malformed", "no-inventory", "missing-key"],
)
def test_bad_input_is_one_line_and_a_usage_exit(tmp_path, make, host, message):
    proc = audit("--inventory", str(make(tmp_path)), "--host", host)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_no_host_is_a_usage_error():
    proc = audit()
    assert proc.returncode == 4 and "no host selected" in proc.stderr
