"""`lab up`, `lab down` and `lab status`: the lab's whole life cycle."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from . import hosts, inventory_out, netns
from .seed import Seeder
from .topology import CLIENT, PREFIX, RUN_DIR, STATE_DIR, LabHost


def down() -> list[str]:
    """Remove every namespace, process and file the lab made; return what was removed."""
    removed = []
    for name in netns.lab_namespaces():
        netns.delete_namespace(name)
        removed.append(name)
    hosts.clear_runtime()
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    return removed


def up(servers: list[LabHost], log=print) -> Path:
    """Start from nothing (clearing a crashed run's leftovers), then boot every server."""
    started = time.monotonic()
    leftovers = down()
    if leftovers:
        log(f"cleared leftovers of an earlier run: {', '.join(leftovers)}")
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    everyone = [CLIENT, *servers]
    seeder = Seeder()
    for server in servers:
        seeder.seed(server, everyone)
    seeder.finish()
    netns.create_bridge()
    for host in everyone:
        netns.wire_host(host)
    hosts.wait_ready([hosts.start(s) for s in servers])
    inventory = inventory_out.write(servers, seeder)
    log(
        f"lab up: {len(servers)} servers in {time.monotonic() - started:.1f} s; "
        f"inventory {inventory}"
    )
    return inventory


def status() -> list[tuple[str, str]]:
    rows = []
    for name in netns.lab_namespaces():
        host = name.removeprefix(PREFIX)
        pid = hosts.read_pid(host)
        if pid is None:
            state = "network only"
        elif Path(f"/proc/{pid}/root/run/lab-ready").exists():
            state = f"ready (init pid {pid})"
        else:
            state = f"not ready (init pid {pid})"
        rows.append((host, state))
    return rows
