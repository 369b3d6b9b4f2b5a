"""The auditor's report: summaries, CSV, and one self-contained HTML file.

The HTML needs no network to view: inline CSS, no script, no font or image from
elsewhere. Every string it shows went through the redactor twice: when a check
recorded it, and once more here, against every secret the controller knows.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path

from .redact import REDACTOR

VERDICTS = ("fail", "error", "waived", "pass", "skip", "not-checked")
SEVERITIES = ("critical", "high", "medium", "low", "info")

# The guide's headings (chapter 1 of Red Hat's "Deploying mail servers").
SECTION_TITLES = {
    "1": "Configuring and maintaining a Dovecot IMAP and POP3 server (key features)",
    "1.1": "Setting up a Dovecot server with PAM authentication",
    "1.1.1": "Installing Dovecot",
    "1.1.2": "Configuring TLS encryption on a Dovecot server",
    "1.1.3": "Preparing Dovecot to use virtual users",
    "1.1.4": "Using PAM as the Dovecot authentication backend",
    "1.1.5": "Completing the Dovecot configuration",
    "1.2": "Setting up a Dovecot server with LDAP authentication",
    "1.2.1": "Installing Dovecot",
    "1.2.2": "Configuring TLS encryption on a Dovecot server",
    "1.2.3": "Preparing Dovecot to use virtual users",
    "1.2.4": "Using LDAP as the Dovecot authentication backend",
    "1.2.5": "Completing the Dovecot configuration",
    "1.3": "Setting up a Dovecot server with MariaDB SQL authentication",
    "1.3.1": "Installing Dovecot",
    "1.3.2": "Configuring TLS encryption on a Dovecot server",
    "1.3.3": "Preparing Dovecot to use virtual users",
    "1.3.4": "Using a MariaDB SQL database as the Dovecot authentication backend",
    "1.3.5": "Completing the Dovecot configuration",
    "1.4": "Configuring replication between two Dovecot servers",
    "1.5": "Automatically subscribing users to IMAP mailboxes",
    "1.6": "Configuring an LMTP socket and LMTPS listener",
    "1.7": "Disabling the IMAP or POP3 service in Dovecot",
    "1.8": "Enabling server-side email filtering using Sieve on a Dovecot IMAP server",
    "1.9": "How Dovecot processes configuration files",
}


def _section_key(section: str) -> tuple[int, ...]:
    return tuple(int(p) for p in section.split(".") if p.isdigit())


def redact_doc(value):
    """Every string in a report document, through the redactor (defence in depth). A
    fleet's report repeats the same sentences, reasons and titles per host: each distinct
    string is redacted once."""
    seen: dict[str, str] = {}

    def walk(v):
        if isinstance(v, str):
            if v not in seen:
                seen[v] = REDACTOR(v)
            return seen[v]
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(value)


def per_host(rows: list[dict]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for r in rows:
        c = out.setdefault(r["host"], Counter())
        c[r["verdict"]] += 1
        if r["verdict"] == "fail":
            c[f"fail:{r['severity']}"] += 1
    return out


def per_section(rows: list[dict]) -> dict[str, Counter]:
    """Verdicts per guide section; a requirement of several sections counts in each."""
    out: dict[str, Counter] = {}
    for r in rows:
        for s in r.get("sections") or [r["section"]]:
            out.setdefault(s, Counter())[r["verdict"]] += 1
    return dict(sorted(out.items(), key=lambda kv: _section_key(kv[0])))


CSV_FIELDS = (
    "host",
    "requirement",
    "section",
    "title",
    "severity",
    "verdict",
    "reason",
    "remediation",
    "waiver_owner",
    "waiver_expires",
    "waiver_reason",
    "sentence",
)


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="") as fh:
        out = csv.DictWriter(fh, CSV_FIELDS, extrasaction="ignore")
        out.writeheader()
        for r in rows:
            w = r.get("waiver") or {}
            out.writerow(
                r
                | {
                    "waiver_owner": w.get("owner", ""),
                    "waiver_expires": w.get("expires", ""),
                    "waiver_reason": w.get("reason", ""),
                }
            )


# --- HTML ------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d2b3a;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.8}
main{padding:18px 28px;max-width:1300px}
h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid #d5dae0;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d5dae0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.v{display:inline-block;min-width:72px;text-align:center;border-radius:3px;padding:1px 6px;
 font-weight:600;font-size:12px;color:#fff}
.v-pass{background:#2e7d32}.v-fail{background:#c62828}.v-error{background:#6a1b9a}
.v-waived{background:#ef6c00}.v-skip{background:#78909c}.v-not-checked{background:#b0bec5;color:#263238}
.sev{font-size:12px;font-weight:600;text-transform:uppercase}
.sev-critical{color:#b71c1c}.sev-high{color:#d84315}.sev-medium{color:#f57f17}
.sev-low{color:#1565c0}.sev-info{color:#546e7a}
details.row{background:#fff;border:1px solid #d5dae0;border-radius:4px;margin:4px 0}
details.row>summary{cursor:pointer;padding:6px 10px;list-style:none}
details.row>summary::-webkit-details-marker{display:none}
details.row[open]>summary{border-bottom:1px solid #d5dae0;background:#fafbfc}
.rid{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-weight:600;
 margin:0 8px}
.body{padding:8px 14px}
blockquote{margin:6px 0;padding:6px 12px;border-left:4px solid #90a4ae;background:#f3f5f7}
pre{background:#1e1e1e;color:#e8e8e8;padding:8px 10px;overflow:auto;max-height:420px;
 font:12px/1.35 ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;white-space:pre-wrap}
.gate{padding:10px 14px;border-radius:4px;font-weight:600;margin:10px 0}
.gate-0{background:#e8f5e9;border:1px solid #2e7d32}
.gate-1{background:#ffebee;border:1px solid #c62828}
.gate-6{background:#f3e5f5;border:1px solid #6a1b9a}
.muted{color:#607d8b}.reason{white-space:pre-wrap}
nav a{margin-right:12px}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(verdict: str) -> str:
    return f'<span class="v v-{_e(verdict)}">{_e(verdict)}</span>'


def _sev(severity: str) -> str:
    return f'<span class="sev sev-{_e(severity)}">{_e(severity)}</span>'


def _anchor(host: str) -> str:
    return "host-" + "".join(c if c.isalnum() else "-" for c in host)


def _counts_table(title: str, counts: dict[str, Counter], first: list[str], extra) -> str:
    head = "".join(f"<th>{h}</th>" for h in first) + "".join(f"<th>{v}</th>" for v in VERDICTS)
    body = []
    for key, c in counts.items():
        cells = "".join(f"<td>{x}</td>" for x in extra(key))
        nums = "".join(f'<td class="n">{c.get(v, 0) or ""}</td>' for v in VERDICTS)
        body.append(f"<tr>{cells}{nums}</tr>")
    return f"<h2>{title}</h2><table><tr>{head}</tr>{''.join(body)}</table>"


def _metadata(doc: dict) -> str:
    hosts = doc.get("host_info", {})
    rows = [
        ("harness", f"{doc['harness']['name']} {doc['harness']['version']}"),
        ("inventory", doc.get("inventory", "")),
        ("hosts", ", ".join(doc.get("hosts", []))),
        ("started", doc.get("started_at", doc.get("started", ""))),
        ("finished", doc.get("finished_at", "")),
        ("wall time", f"{doc['duration_s']:.1f} s" if "duration_s" in doc else ""),
        ("auditor", doc.get("auditor", "")),
        ("command", doc.get("command", "")),
    ]
    out = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows if v)
    hrows = "".join(
        f'<tr><td><a href="#{_anchor(h)}">{_e(h)}</a></td><td>{_e(i.get("fqdn", ""))}</td>'
        f"<td>{_e(', '.join(i.get('addresses', [])))}</td>"
        f"<td>{_e(i.get('dovecot_version') or 'unknown (doveconf -n not read)')}</td></tr>"
        for h, i in hosts.items()
    )
    hosts_table = (
        "<table><tr><th>host</th><th>FQDN</th><th>addresses</th><th>Dovecot version</th></tr>"
        f"{hrows}</table>"
        if hrows
        else ""
    )
    return f"<h2>Run</h2><table>{out}</table>{hosts_table}"


def _gate(doc: dict) -> str:
    g = doc.get("gate")
    if not g:
        return ""
    word = {0: "clean", 1: "findings", 6: "harness errors"}.get(g["exit_code"], "?")
    parts = [
        f"exit code {g['exit_code']} ({word})",
        f"--fail-on {g['fail_on']}",
        f"{len(g['findings'])} finding(s) at or above the threshold",
        f"{len(g['findings_below_threshold'])} below it",
        f"{len(g['errors'])} error(s)",
        f"{len(g['expired_waivers'])} expired waiver(s)",
    ]
    return f'<div class="gate gate-{_e(g["exit_code"])}">Gate: {_e("; ".join(parts))}</div>'


def _waivers(doc: dict) -> str:
    w = doc.get("waivers")
    if not w or not any(w.values()):
        return ""
    out = [
        "<h2>Waivers</h2><table><tr><th>state</th><th>requirement</th><th>host</th>"
        "<th>owner</th><th>expires</th><th>reason</th></tr>"
    ]
    for state in ("expired", "applied", "unused"):
        for x in w.get(state, []):
            label = {
                "expired": "EXPIRED (fails the gate)",
                "applied": "applied",
                "unused": "unused (nothing failed)",
            }[state]
            out.append(
                f"<tr><td>{_e(label)}</td><td>{_e(x['requirement'])}</td><td>{_e(x['host'])}</td>"
                f"<td>{_e(x['owner'])}</td><td>{_e(x['expires'])}</td><td>{_e(x['reason'])}</td></tr>"
            )
    out.append("</table>")
    return "".join(out)


def _drift(doc: dict) -> str:
    d = doc.get("drift")
    if d is None:
        return ""
    out = [f"<h2>Drift since {_e(doc.get('baseline', 'the baseline'))}</h2>"]
    for key, label in (
        ("newly_failing", "Newly failing"),
        ("newly_erroring", "Newly erroring"),
        ("newly_passing", "Newly passing"),
        ("new_waivers", "New waivers"),
    ):
        items = d.get(key, [])
        out.append(f"<h3>{label}: {len(items)}</h3>")
        if items:
            out.append(
                "<table><tr><th>host</th><th>requirement</th><th>severity</th>"
                "<th>was</th><th>now</th></tr>"
            )
            out += [
                f"<tr><td>{_e(i['host'])}</td><td>{_e(i['requirement'])}</td>"
                f"<td>{_sev(i['severity'])}</td><td>{_badge(i['was'])}</td>"
                f"<td>{_badge(i['now'])}</td></tr>"
                for i in items
            ]
            out.append("</table>")
    return "".join(out)


def _row(r: dict) -> str:
    checks = []
    for c in r.get("checks", []):
        ev = "".join(
            f"<p><b>{_e(e['title'])}</b></p><pre>{_e(e['text'])}</pre>"
            for e in c.get("evidence") or []
        )
        fam = f" ({_e(c['family'])})" if c.get("family") else ""
        reason = f'<div class="reason">{_e(c["reason"])}</div>' if c.get("reason") else ""
        checks.append(
            f"<details><summary>{_badge(c['verdict'])} <code>{_e(c['check'])}</code>{fam}"
            f' <span class="muted">{c.get("duration_s", 0):.2f} s</span></summary>'
            f"{reason}{ev or '<p class=muted>no evidence recorded</p>'}</details>"
        )
    waiver = ""
    if w := r.get("waiver"):
        state = "EXPIRED" if w.get("expired") else "waived"
        waiver = (
            f"<p><b>Waiver ({state})</b>: {_e(w['reason'])} — owner {_e(w['owner'])}, "
            f"expires {_e(w['expires'])}</p>"
        )
    reason = f'<p class="reason"><b>Why</b>: {_e(r["reason"])}</p>' if r.get("reason") else ""
    is_open = " open" if r["verdict"] in ("fail", "error") else ""
    return (
        f'<details class="row"{is_open}><summary>{_badge(r["verdict"])}'
        f'<span class="rid">{_e(r["requirement"])}</span>{_sev(r["severity"])} '
        f"{_e(r['title'])}</summary><div class=body>"
        f"<p><b>Guide section {_e(r['section'])}</b></p>"
        f"<blockquote>{_e(r['sentence'])}</blockquote>"
        f"{reason}{waiver}<p><b>Remediation</b>: {_e(r['remediation'])}</p>"
        f"{''.join(checks)}</div></details>"
    )


_ORDER = {v: i for i, v in enumerate(VERDICTS)}
_SEV_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def render_html(doc: dict) -> str:
    rows = doc["rows"]
    hosts = per_host(rows)
    info = doc.get("host_info", {})
    host_table = _counts_table(
        "Summary per host",
        hosts,
        ["host", "Dovecot", "failed by severity"],
        lambda h: [
            f'<a href="#{_anchor(h)}">{_e(h)}</a>',
            _e(info.get(h, {}).get("dovecot_version") or "?"),
            " ".join(
                f"{_sev(s)}&nbsp;{hosts[h][f'fail:{s}']}"
                for s in SEVERITIES
                if hosts[h][f"fail:{s}"]
            ),
        ],
    )
    section_table = _counts_table(
        "Summary per guide section",
        per_section(rows),
        ["section", "title"],
        lambda s: [_e(s), _e(SECTION_TITLES.get(s, ""))],
    )
    nav = " ".join(f'<a href="#{_anchor(h)}">{_e(h)}</a>' for h in hosts)
    body = []
    for h in hosts:
        mine = sorted(
            (r for r in rows if r["host"] == h),
            key=lambda r: (
                _ORDER.get(r["verdict"], 9),
                _SEV_ORDER.get(r["severity"], 9),
                r["requirement"],
            ),
        )
        checked = [r for r in mine if r["verdict"] != "not-checked"]
        unchecked = [r for r in mine if r["verdict"] == "not-checked"]
        body.append(f'<h2 id="{_anchor(h)}">Host {_e(h)}</h2>')
        body += [_row(r) for r in checked]
        if unchecked:
            body.append(
                f"<details><summary>{len(unchecked)} requirements not checked in this run "
                "(manual, not applicable, or no check yet)</summary>"
                + "".join(_row(r) for r in unchecked)
                + "</details>"
            )
    title = f"dovecheck audit: {', '.join(doc.get('hosts', []))}"
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>dovecheck audit report</h1><p>Red Hat's guide \u201cConfiguring and "
        f"maintaining a Dovecot IMAP and POP3 server\u201d, checked on {_e(', '.join(hosts))}"
        f"</p></header><main>{_gate(doc)}<nav>{nav}</nav>{_metadata(doc)}{host_table}"
        f"{section_table}{_drift(doc)}{_waivers(doc)}{''.join(body)}</main></body></html>\n"
    )
