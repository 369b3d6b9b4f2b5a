"""A host's checks run on one worker whatever `--dist` says: two workers sharing a host's
test account remove each other's test mailboxes. Proven with a throw-away suite under real
xdist workers, since the grouping takes a controller half and a worker half."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUITE = """
import pytest

class Host:
    def __init__(self, name):
        self.name, self.expect = name, None

@pytest.mark.parametrize("target", [Host("a"), Host("b"), Host("c")], ids=["a", "b", "c"])
@pytest.mark.parametrize("n", range(8))
def test_check(target, n):
    pass
"""


@pytest.mark.parametrize("dist", [[], ["--dist", "load"], ["--dist", "loadgroup"]])
def test_each_hosts_checks_run_on_one_worker(tmp_path, dist):
    (tmp_path / "test_suite.py").write_text(SUITE)
    argv = [sys.executable, "-m", "pytest", "-c", os.devnull, "--rootdir", str(tmp_path)]
    argv += ["-p", "dovecheck.plugin.parallel", "-p", "no:cacheprovider", "-n", "3", "-v"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [*argv, *dist, str(tmp_path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    workers: dict[str, set[str]] = {}
    for worker, host in re.findall(r"^\[(gw\d+)\].*\[\d+-([abc])\]", proc.stdout, re.M):
        workers.setdefault(host, set()).add(worker)
    assert sorted(workers) == ["a", "b", "c"], proc.stdout
    assert all(len(w) == 1 for w in workers.values()), workers
