"""`doveconf -n` parsed into nested sections: the configuration Dovecot actually uses.

Judging the effective configuration, not one file, avoids the classic false alarm
of regex rules (RHEL's default `ssl = required` flagged because a file does not
literally say `ssl = yes`), and sees settings wherever an include put them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ProtocolGarbage

_SECTION = re.compile(r'^(?P<kind>[\w-]+)(?:\s+(?P<name>"[^"]*"|\S+))?\s*\{$')
_SETTING = re.compile(r"^(?P<key>[\w/-]+)\s*=\s?(?P<value>.*)$")
_VERSION = re.compile(r"^# (?P<version>\d+\.\d+[\w.]*)")


@dataclass
class Section:
    kind: str = ""
    name: str = ""
    settings: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.settings.get(key, default)

    def find(self, kind: str, name: str | None = None) -> list[Section]:
        """Direct children of `kind` (and `name`, if given)."""
        return [s for s in self.sections if s.kind == kind and (name is None or s.name == name)]

    def first(self, kind: str, name: str | None = None) -> Section | None:
        found = self.find(kind, name)
        return found[0] if found else None

    def render(self, indent: str = "") -> str:
        """The section as doveconf prints it: the excerpt an auditor reads as evidence."""
        head = f"{indent}{self.kind} {self.name}".rstrip() + " {"
        lines = [head] + [f"{indent}  {k} = {v}" for k, v in self.settings.items()]
        lines += [s.render(indent + "  ") for s in self.sections]
        return "\n".join([*lines, f"{indent}}}"])


@dataclass
class Config(Section):
    version: str = ""

    @property
    def protocols(self) -> list[str]:
        return self.get("protocols", "imap pop3 lmtp").replace('"', " ").split()

    @property
    def major_minor(self) -> tuple[int, int]:
        parts = re.findall(r"\d+", self.version)[:2]
        return (int(parts[0]), int(parts[1])) if len(parts) == 2 else (0, 0)


def parse(text: str) -> Config:
    config = Config()
    stack: list[Section] = [config]
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if m := _VERSION.match(line):
                config.version = config.version or m.group("version")
            continue
        if line == "}":
            if len(stack) == 1:
                raise ProtocolGarbage(f"doveconf line {n}: unbalanced '}}'")
            stack.pop()
        elif m := _SECTION.match(line):
            section = Section(m.group("kind"), (m.group("name") or "").strip('"'))
            stack[-1].sections.append(section)
            stack.append(section)
        elif m := _SETTING.match(line):
            stack[-1].settings[m.group("key")] = m.group("value").strip()
        else:
            raise ProtocolGarbage(f"doveconf line {n}: not a setting or section: {raw[:80]!r}")
    if len(stack) != 1:
        raise ProtocolGarbage("doveconf output ended inside a section")
    return config


def fields(value: str) -> dict[str, str]:
    """`uid=vmail gid=vmail home=/var/mail/%n/` as a mapping (override_fields, args)."""
    return dict(part.partition("=")[::2] for part in value.split())
