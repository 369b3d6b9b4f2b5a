"""A protocol transcript for the evidence, redacted as it is written."""

from __future__ import annotations

from ..redact import REDACTOR


class Transcript:
    def __init__(self, title: str) -> None:
        self.lines: list[str] = [title]

    def client(self, data: bytes) -> None:
        self._add("C:", data)

    def server(self, data: bytes) -> None:
        self._add("S:", data)

    def note(self, text: str) -> None:
        self.lines.append(f"-- {text}")

    def _add(self, who: str, data: bytes) -> None:
        for line in data.decode("utf-8", "replace").splitlines() or [""]:
            self.lines.append(f"{who} {REDACTOR(line)}")

    def __str__(self) -> str:
        return "\n".join(self.lines)
