"""A progress line per host and area on the terminal, as each area finishes.

A fleet run prints pages of dots; the auditor wants to see "server7 wire/imap_143:
8 pass" as it happens. A host's checks run in order on one worker, so an area is
done when that host's next check belongs to another area; the rest at the end.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("dovecheck").addoption(
        "--no-progress",
        action="store_true",
        help="no progress line per host and area on the terminal",
    )


def check_verdict(phases: list[str]) -> str:
    """A check's verdict from its phases: fail or error wins, then a skip, then pass."""
    for verdict in ("fail", "error", "skip"):
        if verdict in phases:
            return verdict
    return "pass"


class Progress:
    def __init__(self, write_line) -> None:
        self.write_line = write_line
        self.started = time.monotonic()
        self.phases: dict[str, list[str]] = {}
        self.current: dict[str, tuple[str, Counter, float]] = {}  # host -> area, counts, since

    def _emit(self, host: str) -> None:
        area, counts, since = self.current.pop(host)
        now = time.monotonic()
        verdicts = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
        self.write_line(
            f"[{now - self.started:6.1f}s] {host:<14} {area:<26} {verdicts} ({now - since:.1f} s)"
        )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "dovecheck", None)
        if not data or not data.get("host"):
            return
        self.phases.setdefault(report.nodeid, []).append(data["verdict"])
        if report.when != "teardown":
            return
        host, area = data["host"], data.get("area", "")
        if host in self.current and self.current[host][0] != area:
            self._emit(host)
        if host not in self.current:
            self.current[host] = (area, Counter(), time.monotonic())
        self.current[host][1][check_verdict(self.phases.pop(report.nodeid))] += 1

    def flush(self) -> None:
        for host in list(self.current):
            self._emit(host)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or config.getoption("no_progress"):
        return
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is None or config.getoption("collectonly") or config.getoption("verbose") < -1:
        return
    config.pluginmanager.register(Progress(terminal.write_line), "dovecheck-progress")


def pytest_sessionfinish(session: pytest.Session) -> None:
    progress = session.config.pluginmanager.get_plugin("dovecheck-progress")
    if progress is not None:
        progress.flush()
