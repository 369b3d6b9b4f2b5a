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
from .verdicts import CheckResult, worst

RESULTS_KEY = pytest.StashKey[dict[str, CheckResult]]()
EVIDENCE_ATTR = "dovecheck_evidence"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS_KEY] = {}


def _target(item: pytest.Item) -> tuple[str, str]:
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    if "endpoint" in params:
        return params["endpoint"].host.name, params["endpoint"].family
    if "target" in params:
        return params["target"].name, ""
    return "", ""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    ids = requirement_ids(item)
    if ids:
        results = item.config.stash[RESULTS_KEY]
        if item.nodeid not in results:
            host, family = _target(item)
            results[item.nodeid] = CheckResult(item.nodeid, item.name, ids, host, family)
        result = results[item.nodeid]
        result.absorb(report, call)
        evidence: Evidence | None = getattr(item, EVIDENCE_ATTR, None)
        if evidence is not None and call.when == "teardown":
            result.evidence = evidence.as_dicts()
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
