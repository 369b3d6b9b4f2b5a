"""Dovecot 2.4 renamed or removed settings the guide (written for 2.3) uses.

A check of such a setting on 2.4 would be a false failure; it skips instead, naming
the setting that replaced it, so the report says why it could not apply.
"""

from __future__ import annotations

import pytest

from .doveconf import Config

RENAMED_IN_24 = {
    "mail_location": "mail_driver and mail_path",
    "ssl_cert": "ssl_server_cert_file",
    "ssl_key": "ssl_server_key_file",
    "ssl_ca": "ssl_server_ca_file",
    "ssl_dh": "ssl_server_dh_file",
    "disable_plaintext_auth": "auth_allow_cleartext",
    "mail_plugins": "mail_plugins { } (a boolean list)",
}


def replaced_in(config: Config, setting: str) -> str | None:
    """What replaced `setting` on this server's Dovecot, or None where it still exists."""
    return RENAMED_IN_24.get(setting) if config.major_minor >= (2, 4) else None


def require_23_settings(config: Config, *settings: str) -> None:
    for setting in settings:
        if (new := replaced_in(config, setting)) is not None:
            pytest.skip(
                f"Dovecot {config.version} replaced the guide's {setting} with {new}; "
                "the guide's 2.3 setting does not apply"
            )
