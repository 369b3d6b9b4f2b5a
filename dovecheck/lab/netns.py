"""The lab's wiring: a bridge inside the lab namespace and a veth per host.

Every `ip` call names a lab namespace (`ip -n`), and veth pairs are created from
inside the lab namespace with their peer sent straight to the host's namespace,
so the machine's own namespace never sees an interface, address or route.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from .shell import run
from .topology import BRIDGE, LAB_NS, PREFIX, LabHost


def lab_namespaces() -> list[str]:
    names = [line.split()[0] for line in run("ip", "netns", "list").splitlines() if line.strip()]
    return [n for n in names if n.startswith(PREFIX)]


def create_bridge() -> None:
    run("ip", "netns", "add", LAB_NS)
    run("ip", "-n", LAB_NS, "link", "set", "lo", "up")
    run("ip", "-n", LAB_NS, "link", "add", BRIDGE, "type", "bridge")
    run("ip", "-n", LAB_NS, "link", "set", BRIDGE, "up")


def wire_host(host: LabHost) -> None:
    """Give `host` a namespace, an eth0 on the bridge, and its two documentation addresses."""
    run("ip", "netns", "add", host.netns)
    port = f"v-{host.name}"[:15]
    run(
        "ip",
        "-n",
        LAB_NS,
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        host.netns,
    )
    run("ip", "-n", LAB_NS, "link", "set", port, "master", BRIDGE, "up")
    run("ip", "-n", host.netns, "link", "set", "lo", "up")
    run("ip", "-n", host.netns, "addr", "add", f"{host.ipv4}/24", "dev", "eth0")
    run("ip", "-n", host.netns, "addr", "add", f"{host.ipv6}/64", "dev", "eth0", "nodad")
    run("ip", "-n", host.netns, "link", "set", "eth0", "up")


def _pids_in(netns: str) -> list[int]:
    out = run("ip", "netns", "pids", netns, check=False)
    return [int(p) for p in out.split() if p.isdigit()]


def kill_namespace_processes(netns: str, grace: float = 2.0) -> None:
    """Stop everything living in `netns`: TERM, a short grace, then KILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _pids_in(netns)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _pids_in(netns):
            time.sleep(0.05)


def delete_namespace(netns: str) -> None:
    kill_namespace_processes(netns)
    run("ip", "netns", "delete", netns, check=False)
    Path("/run/netns", netns).unlink(missing_ok=True)
