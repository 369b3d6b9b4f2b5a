"""Every check names a known requirement; every requirement has a check or a reason.

A check with no requirement, or with an ID the catalog does not know, stops the
run at collection: a check that traces to nothing cannot be reported honestly.
"""

from __future__ import annotations

from functools import cache

import allure
import pytest

from .. import catalog
from .options import selected_hosts

COVERED_KEY = pytest.StashKey[set[str]]()


def requirement_ids(item: pytest.Item) -> list[str]:
    return [str(a) for m in item.iter_markers("requirement") for a in m.args]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    try:
        known = catalog.load()
    except catalog.CatalogError as exc:
        raise pytest.UsageError(f"dovecheck: {exc}") from None
    problems, covered = [], set()
    allure_on = bool(config.getoption("allure_report_dir", None))
    checks = [i for i in items if "suites" in i.path.parts]
    if checks and not selected_hosts(config):
        raise pytest.UsageError("dovecheck: no host selected: pass --host NAME (a group, or all)")
    for item in checks:
        ids = requirement_ids(item)
        if not ids:
            problems.append(f"{item.nodeid}: no @pytest.mark.requirement")
        for rid in ids:
            if rid not in known:
                problems.append(f"{item.nodeid}: requirement {rid!r} is not in the catalog")
            elif known[rid].status != "check":
                problems.append(f"{item.nodeid}: requirement {rid} is {known[rid].status}")
            covered.add(rid)
        sev = [known[r].severity for r in ids if r in known]
        item.user_properties += [("requirement", r) for r in ids]
        item.user_properties += [("severity", s) for s in sev[:1]]
        if allure_on:
            for rid in ids:
                if rid in known:
                    for mark in allure_marks(known[rid]):
                        item.add_marker(mark)
    if problems:
        raise pytest.UsageError(
            "dovecheck: checks that trace to no requirement:\n  " + "\n  ".join(problems)
        )
    config.stash[COVERED_KEY] = covered


CHAPTER = "1. Configuring and maintaining a Dovecot IMAP and POP3 server"
ALLURE_SEVERITY = {
    "critical": "blocker",
    "high": "critical",
    "medium": "normal",
    "low": "minor",
    "info": "trivial",
}


@cache
def allure_marks(req: catalog.Requirement) -> tuple:
    """Allure's labels: epic the guide's chapter, feature the area, story the requirement.

    Built once per requirement and only when Allure results are asked for: building them
    per item cost a third of the collection time of a hundred-host run, in every worker."""
    return (
        allure.epic(CHAPTER),
        allure.feature(req.id.split("-", 1)[0]),
        allure.story(req.id),
        allure.severity(ALLURE_SEVERITY[req.severity]),
        allure.link(f"guide:{req.sections[0]}", name=f"guide section {req.section}"),
    )


def uncovered(config: pytest.Config) -> list[catalog.Requirement]:
    covered = config.stash.get(COVERED_KEY, set())
    return [r for r in catalog.load().values() if r.status == "check" and r.id not in covered]


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if COVERED_KEY not in config.stash or not config.stash[COVERED_KEY]:
        return
    missing = uncovered(config)
    if missing:
        terminalreporter.write_sep("-", f"{len(missing)} catalog requirements have no check yet")
        terminalreporter.write_line(", ".join(r.id for r in missing))
