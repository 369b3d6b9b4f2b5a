"""Passwords live outside the repository: in the environment, or in a secrets file.

Every value handed out is also registered with the redactor, so it can never
reach a report or a log, whatever a check does with it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .inventory import Host, InventoryError
from .redact import REDACTOR


def _read_secrets_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise InventoryError(f"{path}: line {n}: expected NAME=value")
        values[key.strip()] = value.strip()
    return values


def resolve(host: Host, name: str) -> str:
    """The secret `name`: the environment wins over the host's secrets file."""
    value = os.environ.get(name)
    if value is None and host.secrets_file is not None:
        try:
            value = _read_secrets_file(host.secrets_file).get(name)
        except OSError as exc:
            raise InventoryError(f"{host.secrets_file}: cannot read: {exc.strerror}") from exc
    if not value:
        where = f" nor in {host.secrets_file}" if host.secrets_file else ""
        raise InventoryError(
            f"hosts.{host.name}: secret {name} is not set in the environment{where}"
        )
    REDACTOR.add(value)
    return value
