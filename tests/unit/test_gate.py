"""The CI gate on synthetic rows: each exit-code case, waivers, drift."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dovecheck import gate
from dovecheck.plugin.progress import check_verdict

TODAY = dt.date(2026, 11, 25)


def row(host: str, rid: str, verdict: str, severity: str = "high") -> dict:
    return {"host": host, "requirement": rid, "verdict": verdict, "severity": severity}


CLEAN = [row("mx1", "TLS-KEY-PERMS", "pass"), row("mx1", "LDAP-BASE", "not-checked")]


def test_clean_run_exits_0():
    assert gate.gate(CLEAN, "info").code == gate.EXIT_CLEAN == 0


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        ("high", "info", 1),
        ("high", "high", 1),
        ("high", "critical", 0),
        ("low", "medium", 0),
        ("low", "low", 1),
        ("critical", "none", 0),
    ],
)
def test_findings_fail_by_severity(severity, fail_on, code):
    rows = [*CLEAN, row("mx1", "TLS-DH-PARAMS", "fail", severity)]
    result = gate.gate(rows, fail_on)
    assert result.code == code
    assert len(result.findings) + len(result.below) == 1


def test_harness_error_has_its_own_code_and_findings_win():
    errors = [*CLEAN, row("mx2", "TLS-KEY-PERMS", "error")]
    assert gate.gate(errors, "info").code == gate.EXIT_HARNESS_ERROR == 6
    both = [*errors, row("mx1", "TLS-DH-PARAMS", "fail")]
    assert gate.gate(both, "info").code == gate.EXIT_FINDINGS
    # below the threshold, the error still shows
    assert gate.gate(both, "critical").code == gate.EXIT_HARNESS_ERROR


def test_unknown_threshold_is_refused():
    with pytest.raises(gate.GateError, match="--fail-on"):
        gate.gate(CLEAN, "severe")


def waiver(host="mx1", rid="TLS-DH-PARAMS", expires=TODAY) -> gate.Waiver:
    return gate.Waiver(
        rid, host, "new DH file ships with the Q1 change", "ops@example.com", expires
    )


def test_a_waived_failure_is_reported_as_waived_and_passes_the_gate():
    rows = [*CLEAN, row("mx1", "TLS-DH-PARAMS", "fail")]
    out = gate.apply_waivers(rows, [waiver()], TODAY)  # valid through its expiry day
    assert rows[-1]["verdict"] == "waived"
    assert rows[-1]["waiver"]["owner"] == "ops@example.com"
    assert [w["hosts"] for w in out["applied"]] == [["mx1"]]
    assert gate.gate(rows, "info", out["expired"]).code == 0


def test_an_expired_waiver_fails_the_gate_and_keeps_the_finding():
    rows = [*CLEAN, row("mx1", "TLS-DH-PARAMS", "fail", "low")]
    out = gate.apply_waivers(rows, [waiver(expires=TODAY - dt.timedelta(days=1))], TODAY)
    assert rows[-1]["verdict"] == "fail" and rows[-1]["waiver"]["expired"] is True
    assert len(out["expired"]) == 1
    # the finding is below the threshold, the expired waiver alone fails the run
    assert gate.gate(rows, "high", out["expired"]).code == gate.EXIT_FINDINGS


def test_waivers_never_hide_errors_and_only_apply_to_their_host():
    rows = [row("mx1", "TLS-DH-PARAMS", "error"), row("mx2", "TLS-DH-PARAMS", "fail")]
    out = gate.apply_waivers(rows, [waiver("mx1")], TODAY)
    assert [r["verdict"] for r in rows] == ["error", "fail"]
    assert out["unused"] and not out["applied"]
    rows = [row("mx1", "TLS-DH-PARAMS", "fail"), row("mx2", "TLS-DH-PARAMS", "fail")]
    gate.apply_waivers(rows, [waiver("*")], TODAY)
    assert [r["verdict"] for r in rows] == ["waived", "waived"]


def test_an_expired_waiver_for_a_host_outside_the_run_is_ignored():
    out = gate.apply_waivers(list(CLEAN), [waiver("mx9", expires=dt.date(2020, 1, 1))], TODAY)
    assert out == {"applied": [], "expired": [], "unused": []}


def test_waivers_file(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n  - requirement: TLS-DH-PARAMS\n    host: mx1\n    reason: r\n"
        "    owner: ops\n    expires: 2026-12-31\n"
    )
    assert gate.load_waivers(path) == [
        gate.Waiver("TLS-DH-PARAMS", "mx1", "r", "ops", dt.date(2026, 12, 31))
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("waivers: 3\n", "a list of waivers is required"),
        (
            "waivers:\n  - {requirement: NOPE, host: a, reason: r, owner: o,"
            " expires: 2026-01-01}\n",
            "waivers[0].requirement: 'NOPE' is not in the catalog",
        ),
        (
            "waivers:\n  - {requirement: TLS-DH-PARAMS, host: a, reason: r, owner: o}\n",
            "waivers[0].expires: Field required",
        ),
        (
            "waivers:\n  - {requirement: TLS-DH-PARAMS, host: a, reason: r, owner: o,"
            " expires: soon}\n",
            "waivers[0].expires",
        ),
        ("waivers: [\n", "not valid YAML"),
    ],
    ids=["not-a-list", "unknown-requirement", "no-expiry", "bad-date", "bad-yaml"],
)
def test_bad_waivers_file_is_one_line(tmp_path, text, message):
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    with pytest.raises(gate.GateError, match=message.replace("[", r"\[").replace("]", r"\]")):
        gate.load_waivers(path)


def test_drift_lists_newly_failing_passing_and_waived():
    previous = {
        "rows": [
            row("mx1", "A", "pass"),
            row("mx1", "B", "fail"),
            row("mx1", "C", "fail"),
            row("mx1", "D", "pass"),
        ]
    }
    current = {
        "rows": [
            row("mx1", "A", "fail"),
            row("mx1", "B", "pass"),
            row("mx1", "C", "waived") | {"waiver": {"owner": "ops"}},
            row("mx1", "D", "error"),
            row("mx2", "A", "fail"),  # a new host: everything failing there is new
        ]
    }
    d = gate.drift(previous, current)
    key = lambda items: [(i["host"], i["requirement"]) for i in items]  # noqa: E731
    assert key(d["newly_failing"]) == [("mx1", "A"), ("mx2", "A")]
    assert key(d["newly_passing"]) == [("mx1", "B")]
    assert key(d["new_waivers"]) == [("mx1", "C")]
    assert key(d["newly_erroring"]) == [("mx1", "D")]


def test_baseline_that_is_not_a_report_is_refused(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"no": "rows"}))
    with pytest.raises(gate.GateError, match="no rows"):
        gate.load_report(bad)
    with pytest.raises(gate.GateError, match="not found"):
        gate.load_report(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("phases", "verdict"),
    [
        (["pass", "pass", "pass"], "pass"),
        (["skip", "pass"], "skip"),
        (["pass", "fail", "pass"], "fail"),
        (["pass", "pass", "error"], "error"),
    ],
)
def test_progress_counts_a_check_by_its_worst_phase(phases, verdict):
    assert check_verdict(phases) == verdict
