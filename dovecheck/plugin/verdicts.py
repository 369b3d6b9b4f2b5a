"""From pytest outcomes to audit verdicts: pass, fail, skip (with reason) and error.

A failed assertion is a finding. Any other exception means the harness could not
tell, and is an error; a skip keeps its reason. Nothing becomes a pass by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pytest

from ..errors import Finding
from ..redact import REDACTOR

Verdict = Literal["pass", "fail", "skip", "error"]
# When several checks speak for one requirement on one host, the worst one wins.
_RANK: dict[str, int] = {"fail": 4, "error": 3, "pass": 2, "skip": 1}


def worst(verdicts: list[str]) -> str:
    return max(verdicts, key=lambda v: _RANK[v]) if verdicts else "skip"


def _reason(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return _without_introspection(str(crash.message))
    return str(report.longrepr or "")[:2000]


def _without_introspection(message: str) -> str:
    """A check's own words, without what pytest's assertion rewriting appends to them
    ("assert not True", "+ where True = Handshake(...)" with the certificate's bytes): the
    auditor reads the sentence, and the evidence holds what was observed. An assertion that
    has no words of its own keeps pytest's explanation, the only one there is."""
    head, sep, _ = message.partition("\nassert ")
    return head if sep and not head.startswith("AssertionError: assert ") else message


def phase_verdict(report: pytest.TestReport, call: pytest.CallInfo | None) -> tuple[str, str]:
    """One phase's verdict and reason; setup and teardown problems are errors.

    Computed where the check ran (a worker, under xdist), since only there is the
    exception itself known: a failed assertion or a Finding is a fail, anything else
    an error.
    """
    if report.passed:
        return "pass", ""
    reason = REDACTOR(_reason(report))
    if report.skipped:
        return "skip", reason
    excinfo = call.excinfo if call is not None else None
    is_finding = excinfo is not None and (
        excinfo.errisinstance(Finding)
        or (report.when == "call" and excinfo.errisinstance(AssertionError))
    )
    return ("fail" if is_finding else "error"), reason


@dataclass
class CheckResult:
    nodeid: str
    name: str
    requirements: list[str]
    host: str
    family: str
    verdict: Verdict = "pass"
    reason: str = ""
    duration: float = 0.0
    evidence: list[dict[str, str]] = field(default_factory=list)

    def absorb(self, verdict: str, reason: str, duration: float) -> None:
        """Fold one phase in: the worst phase decides, a skip only replaces a pass."""
        self.duration += duration
        if verdict == "pass":
            return
        if verdict == "skip":
            if self.verdict == "pass":
                self.verdict, self.reason = "skip", reason
            return
        if _RANK[verdict] > _RANK[self.verdict]:
            self.verdict, self.reason = verdict, reason
