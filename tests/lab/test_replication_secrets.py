"""doveadm_password never reaches a report: the audit compares digests computed on the
servers, and the redactor masks the setting wherever it would appear."""

from __future__ import annotations

from dovecheck.lab.hosts import seed_dir

from .scenarios import REFERENCE


def test_the_doveadm_password_is_in_no_report(audit):
    password = (seed_dir(REFERENCE) / "doveadm_password").read_text().strip()
    assert len(password) >= 16
    rows = audit[REFERENCE]
    assert rows["REPL-PASSWORD"]["verdict"] == "pass", "the comparison did not run"
    assert password not in audit.report_text
