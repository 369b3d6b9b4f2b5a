"""The per-run report: one row per (host, requirement) as JSON, CSV and a self-contained
HTML file, plus pytest's JUnit XML; and the CI gate's exit code.

Rows cover the whole catalog, so an auditor sees what was checked, what failed,
and which requirements are manual or not yet covered, with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shlex
import socket
import sys
import time
from pathlib import Path

import pytest

from .. import __version__, catalog, credentials, gate, reporting
from ..evidence import Evidence
from ..hostfacts import DOVECOT_VERSIONS
from ..inventory import InventoryError
from .catalog_gate import requirement_ids
from .options import HOSTS_KEY, STAMP_KEY, report_path
from .verdicts import CheckResult, phase_verdict, worst

RESULTS_KEY = pytest.StashKey[dict[str, CheckResult]]()
VERSIONS_KEY = pytest.StashKey[dict[str, str]]()
WAIVERS_KEY = pytest.StashKey[list[gate.Waiver]]()
BASELINE_KEY = pytest.StashKey[dict]()
STARTED_KEY = pytest.StashKey[tuple[dt.datetime, float]]()
EVIDENCE_ATTR = "dovecheck_evidence"
_VERDICT_KEY = pytest.StashKey[CheckResult]()  # a check's phases so far, where it runs


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dovecheck")
    group.addoption(
        "--fail-on",
        default="info",
        choices=gate.FAIL_ON,
        help="exit 1 on a finding of this severity or above (default: info, any finding); "
        "'none' never fails on findings",
    )
    group.addoption(
        "--waivers",
        metavar="PATH",
        help="YAML waivers: requirement, host, reason, owner, expires (a waived failure is "
        "reported as waived; an expired waiver fails the run)",
    )
    group.addoption(
        "--baseline",
        metavar="PATH",
        help="a previous JSON report: list what is newly failing, newly passing, newly waived",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS_KEY] = {}
    config.stash[VERSIONS_KEY] = {}
    config.stash[STARTED_KEY] = (dt.datetime.now(dt.UTC), time.monotonic())
    try:
        path = config.getoption("waivers")
        config.stash[WAIVERS_KEY] = gate.load_waivers(Path(path)) if path else []
        path = config.getoption("baseline")
        if path:
            config.stash[BASELINE_KEY] = gate.load_report(Path(path))
    except gate.GateError as exc:
        raise pytest.UsageError(f"dovecheck: {exc}") from None
    config.pluginmanager.register(
        _Collector(config.stash[RESULTS_KEY], config.stash[VERSIONS_KEY]), "dovecheck-collector"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A waived check says so in the JUnit XML too, next to its requirement and severity."""
    waivers = config.stash.get(WAIVERS_KEY, [])
    if not waivers:
        return
    today = dt.date.today()
    for item in items:
        host, _ = _target(item)
        for rid in requirement_ids(item):
            for w in waivers:
                if w.matches(host, rid):
                    state = "expired" if w.expired(today) else "valid"
                    item.user_properties.append(
                        ("waiver", f"{state} until {w.expires}: {w.owner}: {w.reason}")
                    )


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

    def __init__(self, results: dict[str, CheckResult], versions: dict[str, str]) -> None:
        self.results = results
        self.versions = versions

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "dovecheck", None)
        if not data:
            return
        if data.get("dovecot_version"):
            self.versions[data["host"]] = data["dovecot_version"]
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
        so_far = item.stash.setdefault(_VERDICT_KEY, CheckResult(item.nodeid, "", [], "", ""))
        so_far.absorb(verdict, reason, 0.0)
        if call.when == "teardown":
            # JUnit writes a <failure> for any failed call; the property tells a finding
            # from a harness error for the CI tools that read the XML
            report.user_properties.append(("verdict", so_far.verdict))
        evidence: Evidence | None = getattr(item, EVIDENCE_ATTR, None)
        report.dovecheck = {
            "name": item.name,
            "requirements": ids,
            "host": host,
            "family": family,
            "verdict": verdict,
            "reason": reason,
            "evidence": evidence.as_dicts() if evidence and call.when == "teardown" else None,
            "area": area(item),
            "dovecot_version": DOVECOT_VERSIONS.get(host, ""),
        }
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    """A check that could not tell (an SSH key the server refuses, a port that never
    answers) is an ERROR on the terminal, as in the report and the gate, not pytest's
    FAILED: the terminal is where an admin first reads the run, and FAILED says the server
    broke a requirement."""
    data = getattr(report, "dovecheck", None)
    if report.when == "call" and report.failed and data and data["verdict"] == "error":
        return "error", "E", "ERROR"
    return None


def area(item: pytest.Item) -> str:
    """The suite and module a check lives in: wire/imap_143, host/tls_settings."""
    parts = item.path.parts
    if "suites" in parts:
        rel = parts[parts.index("suites") + 1 :]
        return "/".join(rel).removesuffix(".py").replace("test_", "")
    return item.path.stem


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
                "sections": list(req.sections),
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


def _register_inventory_secrets(config: pytest.Config) -> None:
    """The controller redacts the final report once more; under xdist it never resolved the
    test accounts' passwords itself, so it learns them here."""
    for host in config.stash.get(HOSTS_KEY, []):
        for acct in host.test_accounts:
            with contextlib.suppress(InventoryError):
                credentials.resolve(host, acct.password_secret)


def _host_info(config: pytest.Config) -> dict[str, dict]:
    versions = config.stash.get(VERSIONS_KEY, {})
    return {
        h.name: {
            "fqdn": h.fqdn,
            "addresses": list(h.addresses.families().values()),
            "dovecot_version": versions.get(h.name, ""),
        }
        for h in config.stash.get(HOSTS_KEY, [])
    }


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller writes the report
    hosts = [h.name for h in config.stash.get(HOSTS_KEY, [])]
    results = list(config.stash.get(RESULTS_KEY, {}).values())
    if not hosts or not results:
        return
    started, t0 = config.stash[STARTED_KEY]
    rows = build_rows(results, hosts)
    waivers = gate.apply_waivers(rows, config.stash.get(WAIVERS_KEY, []), dt.date.today())
    verdict = gate.gate(rows, config.getoption("fail_on"), waivers["expired"])
    doc = {
        "harness": {"name": "dovecheck", "version": __version__},
        "inventory": str(config.getoption("inventory")),
        "hosts": hosts,
        "host_info": _host_info(config),
        "started": config.stash[STAMP_KEY],
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.monotonic() - t0, 2),
        "auditor": socket.getfqdn(),
        "command": shlex.join(["pytest", *sys.argv[1:]]),
        "gate": verdict.as_dict(),
        "waivers": waivers,
        "rows": rows,
    }
    if BASELINE_KEY in config.stash:
        doc["baseline"] = str(config.getoption("baseline"))
        doc["drift"] = gate.drift(config.stash[BASELINE_KEY], doc)
    _register_inventory_secrets(config)
    doc = reporting.redact_doc(doc)
    path = report_path(config, "json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n")
    reporting.write_csv(doc["rows"], report_path(config, "csv"))
    report_path(config, "html").write_text(reporting.render_html(doc))
    config.stash[REPORT_PATH_KEY] = path
    config.stash[GATE_KEY] = verdict
    config.stash[DRIFT_KEY] = doc.get("drift", {})
    # The gate decides the exit code of a run that got to its checks; pytest's own
    # interrupted / internal / usage codes (2, 3, 4) stand.
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        session.exitstatus = verdict.code


GATE_KEY = pytest.StashKey[gate.GateResult]()
DRIFT_KEY = pytest.StashKey[dict]()
REPORT_PATH_KEY = pytest.StashKey[Path]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    path = config.stash.get(REPORT_PATH_KEY, None)
    if path is None:
        return
    outputs = [path, path.with_suffix(".csv"), path.with_suffix(".html")]
    if config.option.xmlpath:
        outputs.append(Path(config.option.xmlpath))
    if getattr(config.option, "allure_report_dir", None):
        outputs.append(Path(config.option.allure_report_dir))
    terminalreporter.write_sep("-", "dovecheck reports")
    for out in outputs:
        terminalreporter.write_line(f"  {out}")
    for key, items in config.stash.get(DRIFT_KEY, {}).items():
        if items:
            listed = ", ".join(f"{i['host']}:{i['requirement']}" for i in items)
            terminalreporter.write_line(f"drift: {key.replace('_', ' ')}: {listed}")
    verdict = config.stash.get(GATE_KEY, None)
    if verdict is not None:
        terminalreporter.write_sep("=", verdict.summary(), bold=True)
