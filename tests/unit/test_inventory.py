"""Inventory parsing: good files load, bad ones give one line naming the file and the key."""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest

from dovecheck.inventory import InventoryError, check_files, load
from dovecheck.lab.pki import LabCA

GOOD = """
defaults:
  ssh: {user: audit, key: KEY, known_hosts: KH}
  ca_file: CA
hosts:
  mx1:
    fqdn: mx1.example.org
    addresses: {ipv4: 198.51.100.7, ipv6: "2001:db8::7"}
    test_accounts: [{user: t1, password_secret: MX1_T1}]
    expect: {protocols: [imap, lmtp]}
  mx2:
    fqdn: mx2.example.org
    addresses: {ipv6: "2001:db8::8"}
    ssh: {port: 2222}
groups:
  pair: [mx1, mx2]
"""


@functools.cache
def _ca_pem() -> bytes:
    return LabCA().cert_pem


def write(tmp_path: Path, text: str) -> Path:
    for name in ("KEY", "KH"):
        (tmp_path / name).write_text("x")
    (tmp_path / "CA").write_bytes(_ca_pem())
    text = text.replace("KEY", str(tmp_path / "KEY")).replace("KH", str(tmp_path / "KH"))
    path = tmp_path / "inv.yaml"
    path.write_text(text.replace("CA\n", f"{tmp_path / 'CA'}\n"))
    return path


def test_a_good_inventory_loads_with_defaults_merged(tmp_path):
    inv = load(write(tmp_path, GOOD))
    mx1, mx2 = inv.hosts["mx1"], inv.hosts["mx2"]
    assert mx1.ssh.user == "audit" and mx2.ssh.port == 2222 and mx2.ssh.user == "audit"
    assert mx1.expect.protocols == ["imap", "lmtp"]
    assert mx1.addresses.families() == {"ipv4": "198.51.100.7", "ipv6": "2001:db8::7"}
    assert mx2.ssh_address == "2001:db8::8"


def test_groups_and_all_select_hosts(tmp_path):
    inv = load(write(tmp_path, GOOD))
    assert [h.name for h in inv.select(["pair"])] == ["mx1", "mx2"]
    assert [h.name for h in inv.select(["all"])] == ["mx1", "mx2"]


def test_an_unknown_host_is_an_error_naming_the_known_ones(tmp_path):
    inv = load(write(tmp_path, GOOD))
    with pytest.raises(InventoryError, match=r"no host 'mx3' .*servers: mx1, mx2"):
        inv.select(["mx3"])


def test_a_neighbour_is_not_audited_and_a_dangling_reference_is_an_error(tmp_path):
    smtp1 = textwrap.indent(
        "smtp1:\n  role: mta\n  fqdn: smtp1.example.org\n  addresses: {ipv4: 192.0.2.25}\n", "  "
    )
    doc = GOOD.replace("groups:", smtp1 + "groups:")
    inv = load(write(tmp_path, doc))
    assert [h.name for h in inv.select(["all"])] == ["mx1", "mx2"]
    with pytest.raises(InventoryError, match=r"'smtp1' is the mta host, not a Dovecot server"):
        inv.select(["smtp1"])
    dangling = GOOD.replace("{protocols: [imap, lmtp]}", "{smtp_server: nope}")
    with pytest.raises(InventoryError, match=r"hosts.mx1.expect.smtp_server: no host 'nope'"):
        load(write(tmp_path, dangling))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hosts: [", r"not valid YAML \(line"),
        ("- a\n- b\n", r"hosts: a mapping"),
        (
            GOOD.replace("ipv4: 198.51.100.7", "ipv4: 198.51.100.700"),
            r"hosts\.mx1\.addresses\.ipv4",
        ),
        (GOOD.replace("fqdn: mx1.example.org", "fqdn: mx1"), r"hosts\.mx1\.fqdn"),
        (GOOD.replace("test_accounts", "test_acounts"), r"hosts\.mx1\.test_acounts"),
        (GOOD.replace("protocols: [imap, lmtp]", "protocols: [imap, smtp]"), r"protocols\.1"),
        (GOOD.replace("    fqdn: mx2.example.org\n", ""), r"hosts\.mx2\.fqdn: Field required"),
        (GOOD + "extra: 1\n", r"extra: unknown top-level key"),
    ],
    ids=[
        "bad-yaml",
        "not-a-mapping",
        "bad-ipv4",
        "short-fqdn",
        "typo-key",
        "bad-protocol",
        "missing-fqdn",
        "unknown-top-key",
    ],
)
def test_a_malformed_inventory_names_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InventoryError, match=message) as err:
        load(path)
    assert str(err.value).startswith(str(path))


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(InventoryError, match="inventory file not found"):
        load(tmp_path / "nope.yaml")


def test_a_missing_key_file_names_the_host_and_key(tmp_path):
    inv = load(write(tmp_path, GOOD))
    (tmp_path / "KEY").unlink()
    with pytest.raises(InventoryError, match=r"hosts\.mx1\.ssh\.key: file not found"):
        check_files(inv, inv.hosts["mx1"])


def test_files_that_are_all_there_pass(tmp_path):
    inv = load(write(tmp_path, GOOD))
    check_files(inv, inv.hosts["mx1"])


def test_a_ca_file_without_a_certificate_is_named_before_any_check(tmp_path):
    """Else every TLS check of the host errs with OpenSSL's words and none says why."""
    inv = load(write(tmp_path, GOOD))
    (tmp_path / "CA").write_text("not a certificate\n")
    with pytest.raises(InventoryError, match=r"hosts\.mx1\.ca_file: .* no usable PEM CA"):
        check_files(inv, inv.hosts["mx1"])
