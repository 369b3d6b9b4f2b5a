"""Reading the guide's settings out of the effective configuration.

Dovecot's defaults matter: `doveconf -n` omits a setting left at its default, so
an absent `ssl` means yes and an absent first_valid_uid means 500 (2.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doveconf import Config, fields

DEFAULTS_23 = {
    "ssl": "yes",
    "first_valid_uid": "500",
    "last_valid_uid": "0",
    "mail_location": "",
    "mail_uid": "",
}


def effective(config: Config, key: str, protocol: str | None = None) -> str:
    """A setting as a protocol sees it: its protocol block, else global, else the default."""
    if protocol is not None:
        block = config.first("protocol", protocol)
        if block is not None and key in block.settings:
            return block.get(key)
    return config.settings.get(key, DEFAULTS_23.get(key, ""))


# Dovecot's filter blocks: settings for connections to an address (local), from a network
# (remote), or for a TLS server name (local_name), in place of the global ones.
FILTER_BLOCKS = ("local", "remote", "local_name")


FilterPath = tuple[tuple[str, str], ...]  # ((local, 198.51.100.31), (protocol, imap))


def filtered(config: Config, key: str) -> dict[str, tuple[FilterPath, str]]:
    """Where a filter block (and a protocol block inside one) sets `key`: a label for the
    evidence -> the block's path (for `doveconf -f local=IP -f protocol=imap`) and the value
    it sets. A server can be right globally and wrong for one address: the checks judge
    every place."""
    found: dict[str, tuple[FilterPath, str]] = {}

    def walk(section, path: FilterPath) -> None:
        for s in section.sections:
            if s.kind in FILTER_BLOCKS or (s.kind == "protocol" and path):
                here = (*path, (s.kind, s.name))
                if key in s.settings:
                    found[" ".join(f"{k} {n}" for k, n in here)] = (here, s.settings[key])
                walk(s, here)

    walk(config, ())
    return found


# Dovecot 2.3's %-variables for the user, with modifiers L (lower), U (upper), E (escape);
# "%%" is a literal percent sign
_USER_VARIABLE = re.compile(r"(?<!%)(?:%%)*%[LUE]*(?:[nu]|\{(?:user|username)\})")


@dataclass(frozen=True)
class MailLocation:
    format: str
    path: str

    @property
    def root(self) -> str:
        """The directory that holds every user's directory: the path up to its first %var."""
        head = self.path.split("%", 1)[0]
        return head if head.endswith("/") else head.rsplit("/", 1)[0] + "/"

    @property
    def per_user(self) -> bool:
        """Whether the path names the user whole: %n or %u (or %{username}, %{user}), with
        the case and escape modifiers that keep one user one directory (%Ln, %Lu, %En).
        A truncated or hashed variable (%1n, %Hn) only spreads users over subdirectories."""
        return bool(_USER_VARIABLE.search(self.path))


def mail_location(config: Config) -> MailLocation:
    value = effective(config, "mail_location")
    fmt, _, rest = value.partition(":")
    return MailLocation(fmt, rest.split(":", 1)[0])


def userdbs(config: Config, driver: str | None = None):
    return [u for u in config.find("userdb") if driver is None or u.get("driver") == driver]


def passdbs(config: Config, driver: str | None = None):
    return [p for p in config.find("passdb") if driver is None or p.get("driver") == driver]


def mail_users(config: Config) -> set[str]:
    """The users Dovecot accesses mail as: fixed uid overrides, and mail_uid."""
    users = {fields(u.get("override_fields")).get("uid", "") for u in userdbs(config)}
    users |= {fields(u.get("default_fields")).get("uid", "") for u in userdbs(config)}
    users.add(effective(config, "mail_uid"))
    return {u for u in users if u}
