"""A pair whose partners list one test account: convergence is measured on it, in the
foreground, once for the pair (the reference pairs of the scenario run have a quiet second
account, where it runs in the background: `dovecheck/pair.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from dovecheck.lab.topology import STATE_DIR

from .conftest import dovecot_errors, run_audit

PAIR = ("server1", "server2")


def test_a_pair_without_a_quiet_account_is_measured_on_its_one_account(lab_up, tmp_path):
    doc = yaml.safe_load((STATE_DIR / "inventory.yaml").read_text())
    for name in PAIR:
        doc["hosts"][name]["test_accounts"] = doc["hosts"][name]["test_accounts"][:1]
    inventory = tmp_path / "one-account.yaml"
    inventory.write_text(yaml.safe_dump(doc))
    only = ("-k", "test_changes_on_either_partner_reach_the_other")
    proc = run_audit(list(PAIR), tmp_path / "r", f"--inventory={inventory}", *only, workers=0)
    assert proc.returncode == 0, proc.stdout[-3000:] + "\n" + dovecot_errors(*PAIR)
    report = json.loads(next(Path(tmp_path / "r").glob("dovecheck-*.json")).read_text())
    checks = [
        c for r in report["rows"] if r["requirement"] == "REPL-CONVERGES" for c in r["checks"]
    ]
    assert len(checks) == 4 and all(c["verdict"] == "pass" for c in checks), checks
    user = doc["hosts"]["server1"]["test_accounts"][0]["user"]
    titles = [[e["title"] for e in c["evidence"]] for c in checks]
    assert all(any(f"account {user};" in t for t in ts) for ts in titles), titles
    # measured by the first check, reported by the other three
    assert sum("measured once per pair" in ts for ts in titles) == 3, titles
