"""The inventory: which servers to audit, how to reach them, and what is expected of them.

Validation is pydantic's: a typo or a wrong type becomes one line naming the file
and the key, instead of a traceback in the middle of a nightly run.
"""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import yamlload

Protocol = Literal["imap", "pop3", "lmtp", "sieve"]
# A Dovecot server is audited; the other roles are the guide's neighbours (the SMTP server,
# the LDAP and database servers, the DNS server), reached over SSH only to open connections
# from there.
Role = Literal["dovecot", "mta", "ldap", "db", "dns"]


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
    # 1.6: the SMTP server (an inventory host) that delivers over LMTP; with lmtp = port the
    # delivery checks connect from there, through its SSH connection
    smtp_server: str | None = None
    # 1.6 "Optional: Customize the ownership and permissions" of the LMTP socket
    lmtp_socket_owner: str = "postfix:postfix"
    lmtp_socket_mode: str = "0600"
    auth_backend: Literal["pam", "ldap", "sql"] = "pam"
    replication_partner: str | None = None
    allowed_sources: dict[int, list[str]] = {}
    # a host firewall (firewalld, as the guide configures it) is expected on this server
    firewall: bool = False
    # 1.4 verification: a change must reach the partner within this many seconds (p95),
    # measured over this many probes per direction. Each costs at least Dovecot's 0.5 s
    # batching of change notifications; 3 each way (with the mailbox, flag, expunge and
    # deletion: 10 changes) proves both directions for a nightly audit; a latency study
    # wants more.
    replication_max_latency: float = Field(10.0, gt=0)
    replication_probes: int = Field(3, ge=1, le=100)
    first_valid_uid: int = 1000
    # a served certificate that expires within this many days is a finding
    tls_expiry_warning_days: int = Field(30, ge=0)
    mail_user: str = "vmail"
    mail_root: str = "/var/mail/"
    # 1.5: special-use attribute -> mailbox name, and each mailbox's auto mode
    special_use: dict[str, str] = {
        "\\Drafts": "Drafts",
        "\\Junk": "Junk",
        "\\Trash": "Trash",
        "\\Sent": "Sent",
    }
    # 1.5's optional mailboxes without special use ("Important Emails"), with their auto mode
    other_mailboxes: dict[str, Literal["subscribe", "create", "no"]] = {}
    auto: dict[str, Literal["subscribe", "create", "no"]] = {
        "Drafts": "subscribe",
        "Junk": "subscribe",
        "Trash": "subscribe",
        "Sent": "subscribe",
    }


class Host(_Strict):
    name: str
    role: Role = "dovecot"
    fqdn: str
    addresses: Addresses
    ssh: SSH
    ca_file: Path
    # DNS servers that clients use to find the server (1.1.2: the certificate's FQDN must be
    # the name they resolve); none means the auditor's own resolver configuration
    resolvers: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    secrets_file: Path | None = None
    test_accounts: list[Account] = []
    expect: Expect = Expect()
    timeout: float = Field(10.0, gt=0, description="per network operation, in seconds")
    # a lab or staging host: with --destructive, checks may break what they create there
    disposable: bool = False

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
        """Dovecot servers named directly or through a group; an unknown name is an error,
        not a skip, and so is a neighbour (an SMTP, LDAP or database host)."""
        if not names:
            raise InventoryError(f"{self.source}: no host selected (use --host NAME)")
        servers = [n for n, h in self.hosts.items() if h.role == "dovecot"]
        chosen: dict[str, Host] = {}
        for name in names:
            members = self.groups.get(name, [name]) if name != "all" else servers
            for member in members:
                if member not in self.hosts:
                    known = ", ".join(sorted(servers)) or "none"
                    raise InventoryError(
                        f"{self.source}: no host {member!r} in the inventory (servers: {known})"
                    )
                host = self.hosts[member]
                if host.role != "dovecot":
                    raise InventoryError(
                        f"{self.source}: {member!r} is the {host.role} host, not a Dovecot "
                        "server; it is audited only through the servers that use it"
                    )
                chosen[member] = host
        return list(chosen.values())

    def check_references(self) -> None:
        """Every host an expectation names is in the inventory, so a typo fails up front."""
        for host in self.hosts.values():
            refs = {
                "expect.smtp_server": host.expect.smtp_server,
                "expect.replication_partner": host.expect.replication_partner,
            }
            for key, ref in refs.items():
                if ref is not None and ref not in self.hosts:
                    raise InventoryError(
                        f"{self.source}: hosts.{host.name}.{key}: no host {ref!r} in the inventory"
                    )


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
        raw = yamlload.safe_load(path.read_text())
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
        inventory = Inventory(source=path, hosts=hosts, groups=raw.get("groups") or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InventoryError(f"{path}: {_where(err['loc'])}: {err['msg']}") from exc
    inventory.check_references()
    return inventory


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
    try:
        ssl.create_default_context(cafile=str(host.ca_file))
    except (ssl.SSLError, OSError) as exc:
        # else every TLS check of the host errs with OpenSSL's words, and none says why
        raise InventoryError(
            f"{inventory.source}: hosts.{host.name}.ca_file: {host.ca_file} holds no usable "
            f"PEM CA certificate ({exc.reason if isinstance(exc, ssl.SSLError) else exc})"
        ) from exc
