"""Command-line options, and the selected hosts, resolved once and validated up front."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from ..inventory import Host, Inventory, InventoryError, check_files, load
from ..lab.topology import STATE_DIR

DEFAULT_INVENTORY = str(STATE_DIR / "inventory.yaml")
HOSTS_KEY = pytest.StashKey[list[Host]]()
INVENTORY_KEY = pytest.StashKey[Inventory]()
STAMP_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dovecheck")
    group.addoption(
        "--inventory",
        metavar="PATH",
        default=os.environ.get("DOVECHECK_INVENTORY", DEFAULT_INVENTORY),
        help="inventory YAML (default: the lab's, or $DOVECHECK_INVENTORY)",
    )
    group.addoption(
        "--host",
        action="append",
        default=[],
        metavar="NAME",
        help="host, group or 'all' to audit (repeatable)",
    )
    group.addoption(
        "--destructive",
        action="store_true",
        help="also run checks that break what they create (only on hosts the inventory "
        "marks disposable)",
    )
    group.addoption(
        "--report-dir",
        metavar="DIR",
        default="reports",
        help="where the JSON and JUnit reports go (default: reports/)",
    )


@pytest.hookimpl(tryfirst=True)  # before junitxml reads its path
def pytest_configure(config: pytest.Config) -> None:
    config.stash[STAMP_KEY] = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    names: list[str] = config.getoption("host")
    if not names:
        config.stash[HOSTS_KEY] = []
        return
    try:
        inventory = load(Path(config.getoption("inventory")))
        hosts = inventory.select(names)
        for host in [*hosts, *neighbours(inventory, hosts)]:
            check_files(inventory, host)
    except InventoryError as exc:
        raise pytest.UsageError(f"dovecheck: {exc}") from None
    config.stash[HOSTS_KEY] = hosts
    config.stash[INVENTORY_KEY] = inventory
    if not config.option.xmlpath:
        config.option.xmlpath = str(report_path(config, "xml"))


def report_path(config: pytest.Config, ext: str) -> Path:
    """reports/dovecheck-<UTC start>.<ext>: the run's JSON and JUnit files share a stamp."""
    return Path(config.getoption("report_dir")) / f"dovecheck-{config.stash[STAMP_KEY]}.{ext}"


def selected_hosts(config: pytest.Config) -> list[Host]:
    """The hosts to audit; empty when none was named (the catalog gate then stops the run)."""
    return config.stash.get(HOSTS_KEY, [])


def neighbours(inventory: Inventory, hosts: list[Host]) -> list[Host]:
    """The hosts the selected servers' expectations name (SMTP server, partner)."""
    names = {
        n
        for h in hosts
        for n in (h.expect.smtp_server, h.expect.replication_partner)
        if n is not None
    }
    return [inventory.hosts[n] for n in sorted(names) if n not in {h.name for h in hosts}]


def inventory_host(config: pytest.Config, name: str) -> Host:
    """A host of the run's inventory by name (references were checked when it loaded)."""
    return config.stash[INVENTORY_KEY].hosts[name]


def replication_probes(config: pytest.Config, host: Host) -> int:
    """Convergence probes per direction: --replication-probes, else the inventory's."""
    return config.getoption("replication_probes") or host.expect.replication_probes
