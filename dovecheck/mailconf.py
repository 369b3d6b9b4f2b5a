"""Reading the guide's settings out of the effective configuration.

Dovecot's defaults matter: `doveconf -n` omits a setting left at its default, so
an absent `ssl` means yes and an absent first_valid_uid means 500 (2.3).
"""

from __future__ import annotations

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
        parts = [p for p in self.path.split("/") if p]
        return any(p in ("%n", "%u", "%{user}", "%{username}") for p in parts)


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
