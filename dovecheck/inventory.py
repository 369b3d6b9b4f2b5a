"""The inventory: which servers to audit, how to reach them, and what is expected of them.

Validation is pydantic's: a typo or a wrong type becomes one line naming the file
and the key, instead of a traceback in the middle of a nightly run.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Protocol = Literal["imap", "pop3", "lmtp", "sieve"]


class InventoryError(Exception):
    """One line for the user: which file, which key, what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SSH(_Strict):
    user: str
    key: Path
    known_hosts: Path
    port: int = Field(22, ge=1, le=65535)
    sudo: bool = True
    address: str | None = None
    connect_timeout: float = Field(10.0, gt=0)
    command_timeout: float = Field(60.0, gt=0)

    @field_validator("key", "known_hosts")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()


class Addresses(_Strict):
    ipv4: ipaddress.IPv4Address | None = None
    ipv6: ipaddress.IPv6Address | None = None

    def families(self) -> dict[str, str]:
        return {f: str(a) for f, a in (("ipv4", self.ipv4), ("ipv6", self.ipv6)) if a}


class Account(_Strict):
    user: str
    password_secret: str = Field(description="env variable, or key of the secrets file")


class Expect(_Strict):
    protocols: list[Protocol] = ["imap", "pop3", "lmtp"]
    lmtp: Literal["socket", "port"] = "socket"
    auth_backend: Literal["pam", "ldap", "sql"] = "pam"
    replication_partner: str | None = None
    allowed_sources: dict[int, list[str]] = {}
    first_valid_uid: int = 1000
    mail_user: str = "vmail"
    mail_root: str = "/var/mail/"
    # 1.5: special-use attribute -> mailbox name, and each mailbox's auto mode
    special_use: dict[str, str] = {
        "\\Drafts": "Drafts",
        "\\Junk": "Junk",
        "\\Trash": "Trash",
        "\\Sent": "Sent",
    }
    auto: dict[str, Literal["subscribe", "create", "no"]] = {
        "Drafts": "subscribe",
        "Junk": "subscribe",
        "Trash": "subscribe",
        "Sent": "subscribe",
    }


class Host(_Strict):
    name: str
    fqdn: str
    addresses: Addresses
    ssh: SSH
    ca_file: Path
    secrets_file: Path | None = None
    test_accounts: list[Account] = []
    expect: Expect = Expect()
    timeout: float = Field(10.0, gt=0, description="per network operation, in seconds")

    @field_validator("ca_file", "secrets_file")
    @classmethod
    def _expand(cls, v: Path | None) -> Path | None:
        return v.expanduser() if v is not None else None

    @field_validator("fqdn")
    @classmethod
    def _fqdn_has_a_dot(cls, v: str) -> str:
        if "." not in v:
            raise ValueError(f"{v!r} is not a fully-qualified domain name")
        return v

    @property
    def ssh_address(self) -> str:
        families = self.addresses.families()
        return self.ssh.address or families.get("ipv4") or families["ipv6"]


class Inventory(_Strict):
    source: Path
    hosts: dict[str, Host]
    groups: dict[str, list[str]] = {}

    def select(self, names: list[str]) -> list[Host]:
        """Hosts named directly or through a group; an unknown name is an error, not a skip."""
        if not names:
            raise InventoryError(f"{self.source}: no host selected (use --host NAME)")
        chosen: dict[str, Host] = {}
        for name in names:
            members = self.groups.get(name, [name]) if name != "all" else list(self.hosts)
            for member in members:
                if member not in self.hosts:
                    known = ", ".join(sorted(self.hosts)) or "none"
                    raise InventoryError(
                        f"{self.source}: no host {member!r} in the inventory (hosts: {known})"
                    )
                chosen[member] = self.hosts[member]
        return list(chosen.values())


def _merge(defaults: dict, host: dict) -> dict:
    merged = {**defaults, **host}
    for key in ("ssh", "expect"):
        if isinstance(defaults.get(key), dict) and isinstance(host.get(key), dict):
            merged[key] = {**defaults[key], **host[key]}
    return merged


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


def load(path: Path) -> Inventory:
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError as exc:
        raise InventoryError(f"{path}: inventory file not found") from exc
    except OSError as exc:
        raise InventoryError(f"{path}: cannot read the inventory: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark else ""
        raise InventoryError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("hosts"), dict):
        raise InventoryError(f"{path}: hosts: a mapping of host names is required")
    unknown = set(raw) - {"defaults", "hosts", "groups"}
    if unknown:
        raise InventoryError(f"{path}: {sorted(unknown)[0]}: unknown top-level key")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise InventoryError(f"{path}: defaults: must be a mapping")
    hosts = {}
    for name, body in raw["hosts"].items():
        if not isinstance(body, dict):
            raise InventoryError(f"{path}: hosts.{name}: must be a mapping")
        try:
            hosts[name] = Host(name=name, **_merge(defaults, body))
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InventoryError(
                f"{path}: hosts.{name}.{_where(err['loc'])}: {err['msg']}"
            ) from exc
        except TypeError as exc:
            raise InventoryError(f"{path}: hosts.{name}: {exc}") from exc
    try:
        return Inventory(source=path, hosts=hosts, groups=raw.get("groups") or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InventoryError(f"{path}: {_where(err['loc'])}: {err['msg']}") from exc


def check_files(inventory: Inventory, host: Host) -> None:
    """The files a run will need exist, so a missing key fails now and says which."""
    files = [
        ("ssh.key", host.ssh.key),
        ("ssh.known_hosts", host.ssh.known_hosts),
        ("ca_file", host.ca_file),
    ]
    if host.secrets_file is not None:
        files.append(("secrets_file", host.secrets_file))
    for key, path in files:
        if not path.is_file():
            raise InventoryError(
                f"{inventory.source}: hosts.{host.name}.{key}: file not found: {path}"
            )
