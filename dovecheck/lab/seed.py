"""What `lab up` hands each host: certificates, SSH keys, accounts and overlays."""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .hosts import PROFILES_DIR, SH_DIR, install_scripts, seed_dir
from .pki import LabCA, write_dh_params
from .shell import LabError, run
from .topology import BACKEND_HOSTS, STATE_DIR, LabHost

AUDIT_USER = "dcaudit"
TEST_ACCOUNTS = (("dctest1", 2001), ("dctest2", 2002))
SSH_DIR = STATE_DIR / "ssh"
SECRETS_FILE = STATE_DIR / "secrets.env"
CA_FILE = STATE_DIR / "ca.crt"
CA_KEY = STATE_DIR / "ca.key"  # for overlays that need a certificate of their own


@dataclass(frozen=True)
class Account:
    user: str
    uid: int
    secret_name: str
    password: str


def secret_name(host: str, user: str) -> str:
    return f"LAB_{host}_{user}".upper().replace("-", "_")


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _write(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    path.chmod(mode)


def _keygen(path: Path, comment: str) -> None:
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path))


def validate_overlay(path: Path) -> None:
    """Refuse an overlay that would do nothing, so a typo is not a silent pass."""
    if not path.is_dir():
        raise LabError(f"overlay {path}: not a directory")
    parts = ("root", "setup.sh", "started.sh", "expect.yaml", "dns.yaml")
    if not any((path / p).exists() for p in parts):
        raise LabError(f"overlay {path}: has none of {', '.join(parts)}")


def published_addresses(host: LabHost) -> dict[str, list[str]]:
    """What the lab's DNS server answers for a host: its own addresses, unless an overlay's
    dns.yaml publishes others (a stale or missing record)."""
    records = {"ipv4": [host.ipv4], "ipv6": [host.ipv6]}
    for overlay in host.overlays:
        extra = overlay / "dns.yaml"
        if extra.is_file():
            records.update(yaml.safe_load(extra.read_text()) or {})
    return records


class Seeder:
    """Writes the state directory once per `lab up`, then a seed directory per host."""

    def __init__(self) -> None:
        _private_dir(STATE_DIR)
        install_scripts()
        self.ca = LabCA()
        _write(CA_FILE, self.ca.cert_pem)
        _write(CA_KEY, self.ca.key_pem, 0o600)
        _private_dir(SSH_DIR)
        _keygen(SSH_DIR / "audit_ed25519", "dovecheck-audit")
        self.dh = STATE_DIR / "dh.pem"
        write_dh_params(self.dh)
        # 1.4: one doveadm_password for every pair (an overlay may set another on purpose)
        self.doveadm_password = secrets.token_urlsafe(24)
        self.accounts: dict[str, list[Account]] = {}
        # One directory and one database serve every LDAP- or SQL-backed server: their test
        # accounts share these passwords, and the backend hosts store them (hashed).
        self.backend_passwords = {user: secrets.token_urlsafe(18) for user, _ in TEST_ACCOUNTS}
        # The search account's dnpass, the directory's admin and the MariaDB users.
        self.service_secrets = {
            "LDAP_DNPASS": secrets.token_urlsafe(18),
            "LDAP_ADMINPASS": secrets.token_urlsafe(18),
            "DB_DOVECOT_PASS": secrets.token_urlsafe(18),
            "DB_RW_PASS": secrets.token_urlsafe(18),  # a user with too much, for a scenario
        }
        self.known_hosts: list[str] = []

    def hosts_file(self, all_hosts: list[LabHost]) -> str:
        lines = ["127.0.0.1 localhost", "::1 localhost"]
        for h in all_hosts:
            lines += [f"{h.ipv4} {h.fqdn} {h.name}", f"{h.ipv6} {h.fqdn} {h.name}"]
        return "\n".join(lines) + "\n"

    def zone_file(self, all_hosts: list[LabHost]) -> str:
        """dnsmasq's hosts file for the lab's zone."""
        lines = []
        for h in all_hosts:
            for addresses in published_addresses(h).values():
                lines += [f"{a} {h.fqdn}" for a in addresses]
        return "\n".join(lines) + "\n"

    def seed(self, host: LabHost, all_hosts: list[LabHost]) -> None:
        d = seed_dir(host.name)
        shutil.rmtree(d, ignore_errors=True)
        _private_dir(d)
        pki = _private_dir(d / "pki")
        issued = self.ca.issue(host.fqdn)
        _write(pki / "ca.crt", self.ca.cert_pem)
        _write(pki / "server.crt", issued.cert_pem)
        _write(pki / "server.key", issued.key_pem, 0o600)
        shutil.copy(self.dh, pki / "dh.pem")
        ssh = _private_dir(d / "ssh")
        _keygen(ssh / "ssh_host_ed25519_key", f"{host.name}-host")
        shutil.copy(SSH_DIR / "audit_ed25519.pub", ssh / "authorized_keys")
        pub = (ssh / "ssh_host_ed25519_key.pub").read_text().split()[:2]
        for name in (host.ipv4, host.ipv6, host.fqdn):
            self.known_hosts.append(f"{name} {' '.join(pub)}")
        _write(d / "hosts", self.hosts_file(all_hosts))
        if host.role == "dns":
            _write(d / "zone.hosts", self.zone_file(all_hosts))
        backed = host.role in ("ldap", "db") or bool(set(BACKEND_HOSTS) & set(host.profiles))
        accounts = [
            Account(
                user,
                uid,
                secret_name(host.name, user),
                self.backend_passwords[user] if backed else secrets.token_urlsafe(18),
            )
            for user, uid in TEST_ACCOUNTS
            # a neighbour has no mailboxes; the LDAP and database hosts store the accounts
            if host.role in ("dovecot", "ldap", "db")
        ]
        self.accounts[host.name] = accounts if host.role == "dovecot" else []
        _write(d / "accounts", "".join(f"{a.user} {a.uid} {a.password}\n" for a in accounts), 0o600)
        if "pair" in host.profiles:
            _write(d / "doveadm_password", self.doveadm_password, 0o600)
        if backed:
            secrets_env = "".join(f"{k}={v}\n" for k, v in self.service_secrets.items())
            _write(d / "backend.env", secrets_env, 0o600)
        env = {
            "HOST_NAME": host.name,
            "HOST_FQDN": host.fqdn,
            "HOST_IPV4": host.ipv4,
            "HOST_IPV6": host.ipv6,
            "HOST_ROLE": host.role,
            "PROFILES": " ".join(host.profiles),
            # the hosts section 1.4's and 1.6's firewall rules admit (names in /etc/hosts)
            "REPL_PARTNER": host.expect.get("replication_partner") or "",
            "SMTP_SERVER": host.expect.get("smtp_server") or "",
            "AUDIT_USER": AUDIT_USER,
            "LAB_SH": str(SH_DIR),
            "LAB_PROFILES": str(PROFILES_DIR),
            "LAB_CA_CERT": str(CA_FILE),
            "LAB_CA_KEY": str(CA_KEY),
        }
        _write(d / "host.env", "".join(f"{k}={shlex.quote(v)}\n" for k, v in env.items()))
        overlays = _private_dir(d / "overlays")
        for i, overlay in enumerate(host.overlays):
            validate_overlay(overlay)
            shutil.copytree(overlay, overlays / f"{i:02d}", symlinks=True)

    def finish(self) -> None:
        _write(SSH_DIR / "known_hosts", "\n".join(self.known_hosts) + "\n")
        lines = [f"{a.secret_name}={a.password}" for accts in self.accounts.values() for a in accts]
        _write(SECRETS_FILE, "\n".join(lines) + "\n", 0o600)
        os.chmod(SECRETS_FILE, 0o600)
