"""The inventory the lab writes for itself: the harness audits the lab like any fleet."""

from __future__ import annotations

from pathlib import Path

import yaml

from .seed import AUDIT_USER, CA_FILE, SECRETS_FILE, SSH_DIR, Seeder
from .topology import NS, STATE_DIR, LabHost

INVENTORY_FILE = STATE_DIR / "inventory.yaml"


def _expect(host: LabHost) -> dict:
    expect = dict(host.expect)
    for overlay in host.overlays:
        extra = overlay / "expect.yaml"
        if extra.is_file():
            expect.update(yaml.safe_load(extra.read_text()) or {})
    return expect


def _host(h: LabHost, seeder: Seeder) -> dict:
    entry: dict = {"fqdn": h.fqdn, "addresses": {"ipv4": h.ipv4, "ipv6": h.ipv6}}
    if h.role != "dovecot":
        return {"role": h.role, **entry}
    entry["test_accounts"] = [
        {"user": a.user, "password_secret": a.secret_name} for a in seeder.accounts[h.name]
    ]
    entry["expect"] = _expect(h)
    return entry


def write(servers: list[LabHost], seeder: Seeder) -> Path:
    doc = {
        "defaults": {
            "ssh": {
                "user": AUDIT_USER,
                "key": str(SSH_DIR / "audit_ed25519"),
                "known_hosts": str(SSH_DIR / "known_hosts"),
                "sudo": True,
                # a lab command answers in well under a second; one that waits on a dead
                # auth backend (doveadm user) should not hold a self-test run for a minute
                "command_timeout": 20,
            },
            "ca_file": str(CA_FILE),
            "resolvers": [NS.ipv4],
            "disposable": True,
            "secrets_file": str(SECRETS_FILE),
        },
        "hosts": {h.name: _host(h, seeder) for h in servers},
        "groups": {"lab": [h.name for h in servers if h.role == "dovecot"]},
    }
    header = "# Written by `lab up`; passwords are in the secrets file, never here.\n"
    INVENTORY_FILE.write_text(header + yaml.safe_dump(doc, sort_keys=False))
    return INVENTORY_FILE
