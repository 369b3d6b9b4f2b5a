"""The catalog is complete and well-formed, and quotes the guide it claims to quote."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from dovecheck import catalog

ROOT = Path(__file__).resolve().parents[2]
GUIDE = Path(__file__).resolve().parents[3] / "shared" / "guide" / "000_5583cdeb842784eb.txt"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_catalog_loads_with_unique_ids_and_reasons():
    reqs = catalog.load()
    assert len(reqs) > 100
    assert all(r.reason for r in reqs.values() if r.status != "check")


def test_every_guide_section_has_requirements():
    sections = {s for r in catalog.load().values() for s in r.sections}
    wanted = {
        "1",
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.1.4",
        "1.1.5",
        "1.2.4",
        "1.3.4",
        "1.4",
        "1.5",
        "1.6",
        "1.7",
        "1.8",
        "1.9",
    }
    assert wanted <= sections, f"sections with no requirement: {sorted(wanted - sections)}"


@pytest.mark.skipif(not GUIDE.exists(), reason=f"the guide is not at {GUIDE}")
def test_sentences_are_quoted_from_the_guide():
    guide = _norm(GUIDE.read_text())
    stray = [
        r.id
        for r in catalog.load().values()
        if r.id != "SIEVE-TLS-PLAIN" and _norm(r.sentence).rstrip(".") not in guide
    ]
    assert not stray, f"sentences not found in the guide: {stray}"


def test_a_malformed_entry_is_refused():
    with pytest.raises(catalog.CatalogError, match="needs a reason"):
        catalog._parse(
            [
                {
                    "id": "X",
                    "sections": ["1"],
                    "sentence": "s",
                    "title": "t",
                    "severity": "low",
                    "verify": "host",
                    "remediation": "r",
                    "status": "manual",
                }
            ]
        )


def _requirements_named_by_checks() -> set[str]:
    """Every requirement a check in suites/ is marked with: on the function, the module, or
    a parametrisation's values (the marks pytest would collect, without an inventory)."""
    named: set[str] = set()

    def take(marks) -> None:
        for mark in marks:
            if mark.name == "requirement":
                named.update(mark.args)
            elif mark.name == "parametrize":
                for value in mark.args[1]:
                    take(getattr(value, "marks", ()))

    for path in sorted((ROOT / "suites").rglob("test_*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        take(getattr(module, "pytestmark", []))
        for name, fn in vars(module).items():
            if name.startswith("test_") and callable(fn):
                take(getattr(fn, "pytestmark", []))
    return named


def test_every_requirement_to_check_has_a_check_and_every_check_a_requirement():
    """The catalog gate reports uncovered requirements only at the end of an audit; here a
    requirement marked `check` that no check names (or a check naming an unknown one) fails."""
    named = _requirements_named_by_checks()
    reqs = catalog.load()
    to_check = {rid for rid, r in reqs.items() if r.status == "check"}
    assert sorted(to_check - named) == [], "status check, but no check names them"
    assert sorted(named - set(reqs)) == [], "checks name requirements the catalog lacks"
