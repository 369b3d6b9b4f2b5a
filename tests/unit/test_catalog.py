"""The catalog is complete and well-formed, and quotes the guide it claims to quote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dovecheck import catalog

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
