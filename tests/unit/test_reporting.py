"""The HTML and CSV reports: self-contained, complete per row, and free of secrets."""

from __future__ import annotations

import csv
import re

from dovecheck import reporting
from dovecheck.redact import MASK, REDACTOR

SECRET = "Tr0ub4dor-and-3-horses"


def doc() -> dict:
    base = {
        "title": "The private key is owned by root:root with mode 600",
        "sentence": "Set secure permissions on the private key file:",
        "remediation": "Run chown root:root and chmod 600 on the private key file.",
    }
    return {
        "harness": {"name": "dovecheck", "version": "0.1.0"},
        "inventory": "/etc/dovecheck/inventory.yaml",
        "hosts": ["mx1", "mx2"],
        "host_info": {
            "mx1": {
                "fqdn": "mx1.example.com",
                "addresses": ["198.51.100.11"],
                "dovecot_version": "2.3.19.1",
            },
            "mx2": {"fqdn": "mx2.example.com", "addresses": [], "dovecot_version": ""},
        },
        "started_at": "2026-11-25T09:00:00+00:00",
        "gate": {
            "exit_code": 1,
            "fail_on": "high",
            "findings": ["mx1:TLS-KEY-PERMS"],
            "findings_below_threshold": [],
            "errors": ["mx2:TLS-KEY-PERMS"],
            "expired_waivers": [],
        },
        "rows": [
            base
            | {
                "host": "mx1",
                "requirement": "TLS-KEY-PERMS",
                "section": "1.1.2, 1.2.2",
                "sections": ["1.1.2", "1.2.2"],
                "severity": "high",
                "verdict": "fail",
                "reason": "mode 0644 <script>alert(1)</script>",
                "checks": [
                    {
                        "check": "test_key",
                        "family": "",
                        "verdict": "fail",
                        "reason": "mode 0644",
                        "duration_s": 0.1,
                        "evidence": [
                            {"title": "mx1: sudo -n stat", "text": f"C: a LOGIN bob {SECRET}\n0644"}
                        ],
                    }
                ],
            },
            base
            | {
                "host": "mx2",
                "requirement": "TLS-KEY-PERMS",
                "section": "1.1.2",
                "sections": ["1.1.2"],
                "severity": "high",
                "verdict": "error",
                "reason": "mx2: no SSH answer within 10 s",
            },
            base
            | {
                "host": "mx2",
                "requirement": "LDAP-BASE",
                "section": "1.2.4",
                "sections": ["1.2.4"],
                "severity": "medium",
                "verdict": "not-checked",
                "reason": "no check in this run",
            },
        ],
    }


def test_html_is_self_contained_and_shows_each_row_in_full():
    REDACTOR.add(SECRET)
    page = reporting.render_html(reporting.redact_doc(doc()))
    # nothing to fetch: no script, no external stylesheet, font or image
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    for text in (
        "TLS-KEY-PERMS",
        "Set secure permissions on the private key file:",
        "Run chown root:root and chmod 600",
        "1.1.2, 1.2.2",
        "mx2: no SSH answer within 10 s",
        "mx1: sudo -n stat",
        "2.3.19.1",
        "dovecheck 0.1.0",
        "/etc/dovecheck/inventory.yaml",
        "Summary per host",
        "Summary per guide section",
        "Configuring TLS encryption on a Dovecot server",
        "exit code 1",
    ):
        assert text in page, text
    assert SECRET not in page and MASK in page


def test_summaries_count_per_host_and_per_section():
    rows = doc()["rows"]
    hosts = reporting.per_host(rows)
    assert hosts["mx1"]["fail"] == 1 and hosts["mx1"]["fail:high"] == 1
    assert hosts["mx2"]["error"] == 1 and hosts["mx2"]["not-checked"] == 1
    sections = reporting.per_section(rows)
    assert list(sections) == ["1.1.2", "1.2.2", "1.2.4"]
    assert sections["1.1.2"]["fail"] == 1 and sections["1.1.2"]["error"] == 1


def test_csv_has_a_row_per_host_and_requirement(tmp_path):
    path = tmp_path / "r.csv"
    rows = doc()["rows"]
    rows[0]["waiver"] = {"owner": "ops", "expires": "2026-12-31", "reason": "Q1"}
    reporting.write_csv(rows, path)
    out = list(csv.DictReader(path.open()))
    assert [(r["host"], r["requirement"], r["verdict"]) for r in out] == [
        ("mx1", "TLS-KEY-PERMS", "fail"),
        ("mx2", "TLS-KEY-PERMS", "error"),
        ("mx2", "LDAP-BASE", "not-checked"),
    ]
    assert out[0]["waiver_owner"] == "ops" and out[0]["severity"] == "high"
    assert out[0]["remediation"].startswith("Run chown")
