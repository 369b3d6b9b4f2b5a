"""Passwords come from the environment or a secrets file, and are redacted once read."""

from __future__ import annotations

import pytest

from dovecheck import credentials
from dovecheck.inventory import InventoryError
from dovecheck.redact import REDACTOR

from .test_inventory import GOOD, write


def host(tmp_path, secrets_text: str | None):
    text = GOOD
    if secrets_text is not None:
        (tmp_path / "secrets.env").write_text(secrets_text)
        text = text.replace("  ca_file:", f"  secrets_file: {tmp_path / 'secrets.env'}\n  ca_file:")
    from dovecheck.inventory import load

    return load(write(tmp_path, text)).hosts["mx1"]


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    h = host(tmp_path, "MX1_T1=from-the-file\n")
    assert credentials.resolve(h, "MX1_T1") == "from-the-file"
    monkeypatch.setenv("MX1_T1", "from-the-environment")
    assert credentials.resolve(h, "MX1_T1") == "from-the-environment"
    assert "from-the-environment" not in REDACTOR("pw from-the-environment")


def test_a_missing_secret_names_where_it_was_looked_for(tmp_path):
    h = host(tmp_path, "# nothing\n")
    with pytest.raises(InventoryError, match=r"secret MX1_T1 is not set .* nor in .*secrets.env"):
        credentials.resolve(h, "MX1_T1")


def test_a_malformed_secrets_file_names_the_line(tmp_path):
    h = host(tmp_path, "OK=1\njunk\n")
    with pytest.raises(InventoryError, match=r"line 2: expected NAME=value"):
        credentials.resolve(h, "OK")
