"""The CI gate on real servers: exit codes for a clean host, a finding by severity, a waived
and an expired waiver, and a fleet where one host is unreachable (an error for that host
only; the others go on). The HTML, CSV and JUnit outputs come with every run."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from dovecheck.lab.topology import STATE_DIR

from .conftest import run_audit
from .scenarios import load_scenarios

# key644: the private key with mode 644, a high-severity finding of TLS-KEY-PERMS
SCENARIO, REQUIREMENT = "key644", "TLS-KEY-PERMS"
ONLY_KEY_CHECK = ("-k", "private_key")  # the gate cases need one check, not the whole audit


def _report(report_dir: Path) -> dict:
    return json.loads(next(report_dir.glob("dovecheck-*.json")).read_text())


def _row(doc: dict, host: str, requirement: str) -> dict:
    return next(r for r in doc["rows"] if r["host"] == host and r["requirement"] == requirement)


@pytest.fixture
def scenario_host(lab_up) -> str:
    if SCENARIO not in {s.name for s in load_scenarios()}:
        pytest.skip(f"the {SCENARIO} scenario is not in this run (DOVECHECK_SCENARIOS)")
    return SCENARIO


def _waivers(tmp_path: Path, expires: dt.date) -> Path:
    path = tmp_path / "waivers.yaml"
    entry = {
        "requirement": REQUIREMENT,
        "host": SCENARIO,
        "reason": "key rotation moves it to a 600 file next week",
        "owner": "mail-ops@example.com",
        "expires": expires.isoformat(),
    }
    path.write_text(yaml.safe_dump({"waivers": [entry]}))
    return path


def test_a_clean_host_exits_0_and_writes_every_output(lab_up, tmp_path):
    proc = run_audit(["server1"], tmp_path, *ONLY_KEY_CHECK, workers=0)
    assert proc.returncode == 0, proc.stdout[-3000:]
    doc = _report(tmp_path)
    assert _row(doc, "server1", REQUIREMENT)["verdict"] == "pass"
    assert doc["gate"]["exit_code"] == 0
    assert doc["host_info"]["server1"]["dovecot_version"].startswith("2.")
    for ext in ("csv", "html", "xml"):
        assert len(list(tmp_path.glob(f"dovecheck-*.{ext}"))) == 1, ext
    assert "gate: clean (exit 0)" in proc.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("high", 1), ("critical", 0)])
def test_a_finding_fails_the_gate_by_its_severity(scenario_host, tmp_path, fail_on, code):
    proc = run_audit([scenario_host], tmp_path, *ONLY_KEY_CHECK, f"--fail-on={fail_on}", workers=0)
    assert proc.returncode == code, proc.stdout[-3000:]
    doc = _report(tmp_path)
    assert _row(doc, scenario_host, REQUIREMENT)["verdict"] == "fail"
    # JUnit carries the requirement and its severity
    junit = ET.parse(next(tmp_path.glob("dovecheck-*.xml")))
    props = {(p.get("name"), p.get("value")) for p in junit.iter("property")}
    assert {("requirement", REQUIREMENT), ("severity", "high"), ("verdict", "fail")} <= props


def test_a_waived_finding_is_reported_as_waived_and_passes(scenario_host, tmp_path):
    waivers = _waivers(tmp_path, dt.date.today() + dt.timedelta(days=7))
    proc = run_audit(
        [scenario_host], tmp_path / "r", *ONLY_KEY_CHECK, f"--waivers={waivers}", workers=0
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    row = _row(_report(tmp_path / "r"), scenario_host, REQUIREMENT)
    assert row["verdict"] == "waived" and row["waiver"]["owner"] == "mail-ops@example.com"
    junit = ET.parse(next((tmp_path / "r").glob("dovecheck-*.xml")))
    assert any(p.get("name") == "waiver" for p in junit.iter("property"))


def test_an_expired_waiver_fails(scenario_host, tmp_path):
    waivers = _waivers(tmp_path, dt.date.today() - dt.timedelta(days=1))
    proc = run_audit(
        [scenario_host],
        tmp_path / "r",
        *ONLY_KEY_CHECK,
        f"--waivers={waivers}",
        "--fail-on=critical",
    )
    assert proc.returncode == 1, proc.stdout[-3000:]
    doc = _report(tmp_path / "r")
    assert _row(doc, scenario_host, REQUIREMENT)["verdict"] == "fail"
    assert doc["waivers"]["expired"][0]["requirement"] == REQUIREMENT


def test_drift_against_a_previous_report(scenario_host, tmp_path):
    run_audit(["server1"], tmp_path / "before", *ONLY_KEY_CHECK, workers=0)
    previous = next((tmp_path / "before").glob("dovecheck-*.json"))
    # the same requirement on a host whose key is 644: rename the baseline's host to match
    doc = json.loads(previous.read_text())
    for r in doc["rows"]:
        r["host"] = scenario_host
    previous.write_text(json.dumps(doc))
    proc = run_audit([scenario_host], tmp_path / "after", *ONLY_KEY_CHECK, f"--baseline={previous}")
    drift = _report(tmp_path / "after")["drift"]
    assert [(i["host"], i["requirement"]) for i in drift["newly_failing"]] == [
        (scenario_host, REQUIREMENT)
    ]
    assert f"drift: newly failing: {scenario_host}:{REQUIREMENT}" in proc.stdout


def _fleet_inventory(tmp_path: Path) -> Path:
    """The lab's inventory plus a host nobody answers for, in a group with server1."""
    doc = yaml.safe_load((STATE_DIR / "inventory.yaml").read_text())
    ghost = dict(doc["hosts"]["server1"])
    ghost.update(
        fqdn="ghost.example.com",
        addresses={"ipv4": "198.51.100.253", "ipv6": "2001:db8:100::253"},  # nobody
        timeout=2,
        ssh={"connect_timeout": 2, "command_timeout": 5},
    )
    # a server of its own, not a third partner of the reference pair's server2
    ghost["expect"] = {
        k: v for k, v in ghost["expect"].items() if k not in ("replication_partner", "firewall")
    }
    keep = {n: h for n, h in doc["hosts"].items() if n in ("server1", "server2", "mta")}
    doc["hosts"] = {**keep, "ghost": ghost}
    doc["groups"] = {"fleet": ["server1", "server2", "ghost"]}
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_a_fleet_run_with_an_unreachable_host_completes_and_reports_it_as_error(lab_up, tmp_path):
    inventory = _fleet_inventory(tmp_path)
    # ghost.example.com is in no zone: TLS-FQDN-RESOLVES (medium) is its one finding, below
    # --fail-on high, so the gate sees harness errors only
    proc = run_audit(["fleet"], tmp_path / "r", f"--inventory={inventory}", "--fail-on=high")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 6, output[-3000:]
    assert "Traceback" not in output
    doc = _report(tmp_path / "r")
    assert doc["hosts"] == ["server1", "server2", "ghost"]
    for host in ("server1", "server2"):
        verdicts = {r["verdict"] for r in doc["rows"] if r["host"] == host}
        assert verdicts <= {"pass", "skip", "not-checked"}, (host, verdicts)
    ghost = {r["verdict"] for r in doc["rows"] if r["host"] == "ghost"}
    assert "error" in ghost and ghost <= {"error", "skip", "not-checked", "fail"}
    assert doc["gate"]["findings_below_threshold"] == ["ghost:TLS-FQDN-RESOLVES"], doc["gate"]
    # an error reads as one on the terminal and in the JUnit XML, not as pytest's FAILED
    failed = [line for line in output.splitlines() if line.startswith("FAILED suites/")]
    assert all("test_certificate.py::test_the_fqdn_" in line for line in failed), failed
    assert any(line.startswith("ERROR suites/") for line in output.splitlines())
    junit = ET.parse(next((tmp_path / "r").glob("dovecheck-*.xml")))
    props = {(p.get("name"), p.get("value")) for p in junit.iter("property")}
    assert ("verdict", "error") in props and ("verdict", "pass") in props
    # a progress line per host and area
    for host in ("server1", "server2", "ghost"):
        assert any(
            f"] {host} " in line and "host/tls_settings" in line for line in output.splitlines()
        ), host
