"""Fail scenarios: a lab host per misconfiguration, and the verdicts it must produce.

Each directory under scenarios/ is a lab overlay (root/, setup.sh, started.sh) plus
scenario.yaml: `fail` lists the requirements that must fail there, `error` those
that must report "could not tell" (e.g. credentials withheld when TLS does not
verify), `skip` those that stop applying. Every other requirement must keep the
reference host's verdict, or be `others` when the scenario sets it (a host without
Dovecot can only produce errors).
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
    skip: frozenset[str]
    keep: frozenset[str]  # keep the reference verdict even when `others` is set
    others: str | None  # the verdict every unlisted requirement must have, if not the reference's

    def want(self, requirement: str, reference_verdict: str) -> str:
        for verdict, ids in (("fail", self.fail), ("error", self.error), ("skip", self.skip)):
            if requirement in ids:
                return verdict
        return reference_verdict if requirement in self.keep else self.others or reference_verdict


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
                frozenset(meta.get("skip", [])),
                frozenset(meta.get("keep", [])),
                meta.get("others"),
            )
        )
    return scenarios
