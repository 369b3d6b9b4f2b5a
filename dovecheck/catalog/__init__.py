"""The requirement catalog: every requirement of the guide, with an ID checks refer to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from .. import yamlload

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
STATUSES = ("check", "manual", "not-applicable")


class CatalogError(Exception):
    pass


@dataclass(frozen=True)
class Requirement:
    id: str
    sections: tuple[str, ...]
    sentence: str
    title: str
    severity: Severity
    verify: Literal["wire", "host", "both"]
    remediation: str
    status: str
    reason: str = ""

    @property
    def section(self) -> str:
        return ", ".join(self.sections)


def _parse(entries: object) -> dict[str, Requirement]:
    if not isinstance(entries, list):
        raise CatalogError("catalog: a list of requirements is expected")
    catalog: dict[str, Requirement] = {}
    for n, e in enumerate(entries):
        where = f"catalog entry {n} ({e.get('id', '?') if isinstance(e, dict) else '?'})"
        try:
            req = Requirement(
                id=e["id"],
                sections=tuple(str(s) for s in e["sections"]),
                sentence=e["sentence"],
                title=e["title"],
                severity=e["severity"],
                verify=e["verify"],
                remediation=e["remediation"],
                status=e["status"],
                reason=e.get("reason", ""),
            )
        except (KeyError, TypeError) as exc:
            raise CatalogError(f"{where}: missing or malformed field {exc}") from exc
        if req.severity not in SEVERITIES or req.status not in STATUSES:
            raise CatalogError(f"{where}: bad severity or status")
        if req.status != "check" and not req.reason.strip():
            raise CatalogError(f"{where}: status {req.status} needs a reason")
        if req.id in catalog:
            raise CatalogError(f"{where}: duplicate id")
        catalog[req.id] = req
    return catalog


@cache
def load() -> dict[str, Requirement]:
    text = (resources.files(__name__) / "requirements.yaml").read_text()
    return _parse(yamlload.safe_load(text))
