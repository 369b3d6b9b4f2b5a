"""Fail scenarios: a lab host per misconfiguration, and the verdicts it must produce.

Each directory under scenarios/ is a lab overlay (root/, setup.sh, started.sh) plus
scenario.yaml: `fail` lists the requirements that must fail there, `error` those
that must report "could not tell" (e.g. credentials withheld when TLS does not
verify). Every other requirement must keep the reference host's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SCENARIO_DIR = Path(__file__).parent / "scenarios"
REFERENCE = "server1"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    description: str
    fail: frozenset[str]
    error: frozenset[str]


def load_scenarios() -> list[Scenario]:
    scenarios = []
    for path in sorted(p for p in SCENARIO_DIR.iterdir() if (p / "scenario.yaml").is_file()):
        meta = yaml.safe_load((path / "scenario.yaml").read_text())
        assert len(path.name) <= 13, f"{path.name}: scenario names become host names (<= 13)"
        scenarios.append(
            Scenario(
                path.name,
                path,
                meta["description"],
                frozenset(meta.get("fail", [])),
                frozenset(meta.get("error", [])),
            )
        )
    return scenarios
