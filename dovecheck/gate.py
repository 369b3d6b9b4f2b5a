"""The CI gate: exit codes by severity, waivers, and drift against a previous report.

Pure functions over report rows, so every exit-code case is tested on synthetic rows
and the pytest plugin only wires them in.

Exit codes (pytest's own 2, 3, 4 and 5 keep their meaning: interrupted, internal
error, usage error such as a bad inventory or waivers file, no checks collected):

    0  clean: no finding at or above --fail-on, no harness error, no expired waiver
    1  findings: a failed requirement at or above --fail-on, or an expired waiver
    6  harness errors only: some check could not tell (host unreachable, garbage)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from . import catalog, yamlload

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 4  # pytest's usage-error code: bad inventory, bad waivers file
EXIT_HARNESS_ERROR = 6

FAIL_ON = (*catalog.SEVERITIES, "none")
# critical 4 ... info 0: a finding counts when its rank is at least the threshold's
_RANK = {s: len(catalog.SEVERITIES) - 1 - i for i, s in enumerate(catalog.SEVERITIES)}


class GateError(Exception):
    """One line for the user: which file, which entry, what is wrong."""


class _WaiverModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requirement: str
    host: str
    reason: str
    owner: str
    expires: dt.date


@dataclass(frozen=True)
class Waiver:
    requirement: str
    host: str  # a host name, or "*" for every host
    reason: str
    owner: str
    expires: dt.date

    def matches(self, host: str, requirement: str) -> bool:
        return self.requirement == requirement and self.host in (host, "*")

    def expired(self, today: dt.date) -> bool:
        """A waiver holds through its expiry day."""
        return today > self.expires

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "expires": self.expires.isoformat()}


def load_waivers(path: Path) -> list[Waiver]:
    """`waivers:` a list of {requirement, host, reason, owner, expires: YYYY-MM-DD}."""
    try:
        raw = yamlload.safe_load(path.read_text())
    except FileNotFoundError as exc:
        raise GateError(f"{path}: waivers file not found") from exc
    except OSError as exc:
        raise GateError(f"{path}: cannot read the waivers file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise GateError(f"{path}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    entries = raw.get("waivers") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise GateError(f"{path}: waivers: a list of waivers is required")
    known = catalog.load()
    waivers = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise GateError(f"{path}: waivers[{n}]: must be a mapping")
        try:
            m = _WaiverModel(**entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise GateError(f"{path}: waivers[{n}].{where}: {err['msg']}") from exc
        if m.requirement not in known:
            raise GateError(
                f"{path}: waivers[{n}].requirement: {m.requirement!r} is not in the catalog"
            )
        for key in ("reason", "owner", "host"):
            if not getattr(m, key).strip():
                raise GateError(f"{path}: waivers[{n}].{key}: must not be empty")
        waivers.append(Waiver(m.requirement, m.host, m.reason, m.owner, m.expires))
    return waivers


def apply_waivers(
    rows: list[dict], waivers: Iterable[Waiver], today: dt.date
) -> dict[str, list[dict]]:
    """Mark waived failures in place; return the waivers applied, expired and unused.

    A valid waiver turns a failed row into `waived` (the finding stays visible, with the
    waiver). An expired waiver changes nothing in the row but is listed, and fails the
    gate: an exception nobody renewed is a finding of its own. Errors are never waived:
    a waiver covers a known finding, not a check that could not tell.
    """
    hosts = {r["host"] for r in rows}
    out: dict[str, list[dict]] = {"applied": [], "expired": [], "unused": []}
    for w in waivers:
        if w.host != "*" and w.host not in hosts:
            continue  # names a host outside this run
        matched = [r for r in rows if w.matches(r["host"], r["requirement"])]
        if w.expired(today):
            for r in matched:
                r["waiver"] = {**w.as_dict(), "expired": True}
            out["expired"].append(w.as_dict())
            continue
        failing = [r for r in matched if r["verdict"] == "fail"]
        for r in failing:
            r["verdict"] = "waived"
            r["waiver"] = {**w.as_dict(), "expired": False}
        out["applied" if failing else "unused"].append(
            {**w.as_dict(), "hosts": sorted({r["host"] for r in failing})}
        )
    return out


@dataclass
class GateResult:
    code: int
    fail_on: str
    findings: list[dict]  # failed rows at or above the threshold
    below: list[dict]  # failed rows below it
    errors: list[dict]
    expired: list[dict]

    def summary(self) -> str:
        word = {
            EXIT_CLEAN: "clean",
            EXIT_FINDINGS: "FINDINGS",
            EXIT_HARNESS_ERROR: "HARNESS ERRORS",
        }[self.code]
        parts = [
            f"{len(self.findings)} finding(s) at or above {self.fail_on}",
            f"{len(self.below)} below",
            f"{len(self.errors)} error(s)",
            f"{len(self.expired)} expired waiver(s)",
        ]
        return f"gate: {word} (exit {self.code}): " + ", ".join(parts)

    def as_dict(self) -> dict:
        key = lambda r: f"{r['host']}:{r['requirement']}"  # noqa: E731
        return {
            "exit_code": self.code,
            "fail_on": self.fail_on,
            "findings": [key(r) for r in self.findings],
            "findings_below_threshold": [key(r) for r in self.below],
            "errors": [key(r) for r in self.errors],
            "expired_waivers": self.expired,
        }


def gate(rows: list[dict], fail_on: str, expired: list[dict] | None = None) -> GateResult:
    """The run's exit code: findings (or an expired waiver) win over errors."""
    if fail_on not in FAIL_ON:
        raise GateError(f"--fail-on {fail_on!r}: one of {', '.join(FAIL_ON)}")
    expired = expired or []
    failed = [r for r in rows if r["verdict"] == "fail"]
    if fail_on == "none":
        findings, below = [], failed
    else:
        findings = [r for r in failed if _RANK[r["severity"]] >= _RANK[fail_on]]
        below = [r for r in failed if _RANK[r["severity"]] < _RANK[fail_on]]
    errors = [r for r in rows if r["verdict"] == "error"]
    if findings or expired:
        code = EXIT_FINDINGS
    elif errors:
        code = EXIT_HARNESS_ERROR
    else:
        code = EXIT_CLEAN
    return GateResult(code, fail_on, findings, below, errors, expired)


def drift(previous: dict, current: dict) -> dict[str, list[dict]]:
    """What changed since a previous JSON report, per (host, requirement)."""
    before = {(r["host"], r["requirement"]): r for r in previous.get("rows", [])}
    out: dict[str, list[dict]] = {
        "newly_failing": [],
        "newly_passing": [],
        "newly_erroring": [],
        "new_waivers": [],
    }
    for row in current["rows"]:
        old = before.get((row["host"], row["requirement"]))
        was = old["verdict"] if old else "absent"
        now = row["verdict"]
        item = {
            "host": row["host"],
            "requirement": row["requirement"],
            "severity": row["severity"],
            "was": was,
            "now": now,
        }
        if now == "fail" and was != "fail":
            out["newly_failing"].append(item)
        elif now == "pass" and was in ("fail", "waived", "error"):
            out["newly_passing"].append(item)
        elif now == "error" and was != "error":
            out["newly_erroring"].append(item)
        if now == "waived" and (old is None or "waiver" not in old or old["verdict"] != "waived"):
            out["new_waivers"].append(item | {"owner": row["waiver"]["owner"]})
    return out


def load_report(path: Path) -> dict:
    """A previous run's JSON report, for --baseline."""
    import json

    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise GateError(f"{path}: baseline report not found") from exc
    except (OSError, ValueError) as exc:
        raise GateError(f"{path}: not a dovecheck JSON report: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise GateError(f"{path}: not a dovecheck JSON report (no rows)")
    return doc
