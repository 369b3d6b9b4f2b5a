#!/usr/bin/env python3
"""Time dovecheck on the lab (a benchmark, not a test): `lab up`, a full audit of one host,
of a pair, of N hosts in parallel, and testssl.sh's STARTTLS scan of the same IMAP port.

    DOVECHECK_LAB_ID=d .venv/bin/python scripts/bench.py [--hosts 10] [--repeat 3] [--before]

Run as root from the repository (the lab needs it). Each audit runs from the lab's client
namespace, with the wall time measured around the whole pytest process (start-up and
report writing included); the median of --repeat runs is reported. --before also times
the audits with DOVECHECK_PREFETCH=0 (one SSH round trip per command, no probe prefetch).
testssl.sh comes from Debian's package `testssl.sh`, installed here on demand only.
The machine's load average is printed with the figures: on a shared 2-core machine it
moves them more than anything else.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def sh(argv: list[str], env: dict | None = None, timeout: float = 900) -> tuple[float, int, str]:
    start = time.monotonic()
    proc = subprocess.run(
        argv,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return time.monotonic() - start, proc.returncode, proc.stdout + proc.stderr


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def lab_up(extra: int) -> float:
    args = [str(BIN / "lab"), "up"]
    for i in range(extra):
        args += ["--add-host", f"s{i + 3}=pam"]
    seconds, rc, out = sh(args)
    if rc != 0:
        sys.exit(f"lab up failed:\n{out}")
    return seconds


def audit(hosts: list[str], workers: int, env: dict | None = None, warm: bool = False) -> float:
    report_dir = tempfile.mkdtemp(prefix="dovecheck-bench-")
    argv = [str(BIN / "lab"), "client", str(BIN / "pytest"), "-q", "--no-progress"]
    if workers > 1:
        argv += ["-n", str(workers), "--dist", "loadgroup"]
    argv += [f"--report-dir={report_dir}", "--fail-on=none"]
    for h in hosts:
        argv += ["--host", h]
    seconds, rc, out = sh(argv, env)
    shutil.rmtree(report_dir, ignore_errors=True)
    if rc != 0 and not warm:
        sys.exit(f"audit of {hosts} exited {rc}:\n{out[-3000:]}")
    return seconds


def fleet_workers(hosts: int) -> int:
    """Two workers per core: a worker per host costs each one a process start and a
    collection of the whole run, which on 2 cores cost more than the overlap gained."""
    return min(hosts, 2 * (os.cpu_count() or 1))


def median_of(repeat: int, fn) -> tuple[float, list[float]]:
    runs = [fn() for _ in range(repeat)]
    return statistics.median(runs), runs


def testssl() -> float | None:
    if shutil.which("testssl") is None:
        if os.geteuid() != 0:
            return None
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "testssl.sh"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            check=False,
        )
    if shutil.which("testssl") is None:
        return None
    argv = [str(BIN / "lab"), "client", "testssl", "--quiet", "--color", "0", "--nodns", "none"]
    argv += ["--warnings", "off", "--starttls", "imap", "198.51.100.11:143"]
    seconds, rc, out = sh(argv, timeout=900)
    if "Done" not in out and rc != 0:
        print(f"testssl.sh exited {rc}:\n{out[-1500:]}", file=sys.stderr)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=10, help="N for the parallel run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", action="store_true", help="also time DOVECHECK_PREFETCH=0")
    parser.add_argument("--no-testssl", action="store_true")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: must run as root (the lab creates network namespaces)")
    rows: list[tuple[str, str]] = [("load average (1 min) at start", load())]

    t = lab_up(0)
    rows.append(("`lab up`, 3 hosts (server1, server2, mta)", f"{t:.1f} s"))
    extra = max(args.hosts - 2, 0)
    t = lab_up(extra)
    rows.append(
        (f"`lab up`, {args.hosts + 1} hosts ({args.hosts} servers and the mta)", f"{t:.1f} s")
    )
    names = ["server1", "server2", *(f"s{i + 3}" for i in range(extra))][: args.hosts]

    audit(["server1"], 1, warm=True)  # warm the page cache; not counted
    variants = [("", {})]
    if args.before:
        variants.append((" (before: DOVECHECK_PREFETCH=0)", {"DOVECHECK_PREFETCH": "0"}))
    one = None
    for label, env in variants:
        if extra:
            # a host without a partner: no convergence probes (each change takes Dovecot's
            # replicator about 0.6 s), which is what the one-host target was set for
            m, runs = median_of(args.repeat, lambda env=env: audit(["s3"], 1, env))
            rows.append((f"full audit of one host without a partner (s3){label}", _fmt(m, runs)))
        m, runs = median_of(args.repeat, lambda env=env: audit(["server1"], 1, env))
        one = one or m
        rows.append((f"full audit of one host, a pair member (server1){label}", _fmt(m, runs)))
        m, runs = median_of(args.repeat, lambda env=env: audit(["server1", "server2"], 2, env))
        rows.append((f"a pair, in parallel (-n 2){label}", _fmt(m, runs)))
        for workers in sorted({min(len(names), 10), fleet_workers(len(names))}):
            m, runs = median_of(args.repeat, lambda env=env, w=workers: audit(names, w, env))
            rows.append(
                (
                    f"{len(names)} hosts in parallel (-n {workers}){label}",
                    _fmt(m, runs) + (f"; {m / one:.1f}x server1" if not label else ""),
                )
            )
    if not args.no_testssl:
        t = testssl()
        rows.append(
            (
                "testssl.sh 3.0.8 `--starttls imap` of server1:143, one run",
                f"{t:.1f} s" if t is not None else "not installed",
            )
        )
    rows.append(("load average (1 min) at end", load()))
    subprocess.run([str(BIN / "lab"), "down"], capture_output=True, check=False)

    print("| what | wall time |\n| --- | --- |")
    for what, value in rows:
        print(f"| {what} | {value} |")
    return 0


def _fmt(median: float, runs: list[float]) -> str:
    return f"{median:.1f} s (runs: {', '.join(f'{r:.1f}' for r in runs)})"


if __name__ == "__main__":
    sys.exit(main())
