"""The per-run report: one JSON row per (host, requirement), plus pytest's JUnit XML.

Rows cover the whole catalog, so an auditor sees what was checked, what failed,
and which requirements are manual or not yet covered, with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .. import __version__, catalog
from ..evidence import Evidence
from .catalog_gate import requirement_ids
from .options import HOSTS_KEY, STAMP_KEY, report_path
from .verdicts import CheckResult, phase_verdict, worst

RESULTS_KEY = pytest.StashKey[dict[str, CheckResult]]()
EVIDENCE_ATTR = "dovecheck_evidence"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS_KEY] = {}
    config.pluginmanager.register(_Collector(config.stash[RESULTS_KEY]), "dovecheck-collector")


def _target(item: pytest.Item) -> tuple[str, str]:
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    if "endpoint" in params:
        return params["endpoint"].host.name, params["endpoint"].family
    if "target" in params:
        return params["target"].name, ""
    return "", ""


class _Collector:
    """Folds every check's reports into results. Registered per run, because the
    logreport hook gets no config to find the results by; under xdist it runs in the
    controller, fed by the workers' reports."""

    def __init__(self, results: dict[str, CheckResult]) -> None:
        self.results = results

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "dovecheck", None)
        if not data:
            return
        if report.nodeid not in self.results:
            self.results[report.nodeid] = CheckResult(
                report.nodeid, data["name"], data["requirements"], data["host"], data["family"]
            )
        result = self.results[report.nodeid]
        result.absorb(data["verdict"], data["reason"], report.duration)
        if data["evidence"] is not None:
            result.evidence = data["evidence"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Attach what the report needs to the test report itself, as plain data, so that it
    travels from an xdist worker to the controller like the rest of the report."""
    report = yield
    ids = requirement_ids(item)
    if ids:
        host, family = _target(item)
        verdict, reason = phase_verdict(report, call)
        evidence: Evidence | None = getattr(item, EVIDENCE_ATTR, None)
        report.dovecheck = {
            "name": item.name,
            "requirements": ids,
            "host": host,
            "family": family,
            "verdict": verdict,
            "reason": reason,
            "evidence": evidence.as_dicts() if evidence and call.when == "teardown" else None,
        }
    return report


def build_rows(results: list[CheckResult], hosts: list[str]) -> list[dict]:
    rows = []
    for host in hosts:
        for req in catalog.load().values():
            checks = [r for r in results if r.host == host and req.id in r.requirements]
            row = {
                "host": host,
                "requirement": req.id,
                "title": req.title,
                "section": req.section,
                "sentence": req.sentence,
                "severity": req.severity,
                "remediation": req.remediation,
            }
            if checks:
                verdict = worst([c.verdict for c in checks])
                reasons = [
                    f"{c.name}: {c.reason}" for c in checks if c.verdict == verdict and c.reason
                ]
                if verdict == "pass":  # say what the pass does not cover
                    reasons += [
                        f"{c.name}: skipped: {c.reason}" for c in checks if c.verdict == "skip"
                    ]
                row |= {
                    "verdict": verdict,
                    "reason": "; ".join(reasons),
                    "checks": [
                        {
                            "check": c.name,
                            "family": c.family,
                            "verdict": c.verdict,
                            "reason": c.reason,
                            "duration_s": round(c.duration, 3),
                            "evidence": c.evidence,
                        }
                        for c in checks
                    ],
                }
            elif req.status != "check":
                row |= {"verdict": "not-checked", "reason": f"{req.status}: {req.reason}"}
            else:
                row |= {"verdict": "not-checked", "reason": "no check in this run"}
            rows.append(row)
    return rows


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller writes the report
    hosts = [h.name for h in config.stash.get(HOSTS_KEY, [])]
    results = list(config.stash.get(RESULTS_KEY, {}).values())
    if not hosts or not results:
        return
    path = report_path(config, "json")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "harness": {"name": "dovecheck", "version": __version__},
        "inventory": str(config.getoption("inventory")),
        "hosts": hosts,
        "started": config.stash[STAMP_KEY],
        "rows": build_rows(results, hosts),
    }
    path.write_text(json.dumps(doc, indent=2) + "\n")
    config.stash[REPORT_PATH_KEY] = path


REPORT_PATH_KEY = pytest.StashKey[Path]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    path = config.stash.get(REPORT_PATH_KEY, None)
    if path is not None:
        terminalreporter.write_sep("-", f"dovecheck report: {path}")
