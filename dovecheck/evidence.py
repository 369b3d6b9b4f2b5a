"""What a check saw, kept for the auditor: commands with output, transcripts, excerpts.

Everything passes through the redactor on the way in, so no later consumer (JSON,
JUnit, Allure, terminal) can leak a secret that a check happened to see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import allure

from .redact import REDACTOR

MAX_CHARS = 20_000  # per item: enough for a transcript, not a mailbox


@dataclass
class Evidence:
    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, title: str, text: object) -> None:
        body = REDACTOR(str(text))
        if len(body) > MAX_CHARS:
            body = body[:MAX_CHARS] + f"\n[... {len(body) - MAX_CHARS} more characters]"
        self.items.append((REDACTOR(title), body))
        # Also an Allure attachment; a no-op unless the run writes --alluredir.
        allure.attach(body, name=REDACTOR(title), attachment_type=allure.attachment_type.TEXT)

    def as_dicts(self) -> list[dict[str, str]]:
        return [{"title": t, "text": b} for t, b in self.items]
