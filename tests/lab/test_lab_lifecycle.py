"""`lab up` starts from nothing, and `lab down` leaves nothing, in the machine's namespace least."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dovecheck.lab.topology import PREFIX, RUN_DIR, STATE_DIR

from .conftest import STALE_NS, _lab, root_namespace_state

LAB_DIRS = (RUN_DIR, STATE_DIR)


def _netns() -> list[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def _our_netns() -> list[str]:
    """This lab's namespaces; another lab (DOVECHECK_LAB_ID) may run beside it."""
    return [n for n in _netns() if n.startswith(PREFIX)]


LAB_DAEMONS = {"dovecot", "tini", "dnsmasq"}


def _lab_processes() -> list[str]:
    """Processes that live in this lab's roots, or run a lab daemon in the machine's root:
    none may outlive the lab."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            root = os.readlink(f"/proc/{pid}/root")
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        ours = root.startswith(str(RUN_DIR) + "/") or PREFIX in cmd
        # judged by the program, not its arguments: another lab's audit names hosts too
        daemon = root == "/" and (comm in LAB_DAEMONS or cmd.startswith("sshd:"))
        if ours or daemon:
            found.append(f"{pid}: {cmd.strip()} (root {root})")
    return found


def test_lab_up_clears_what_a_crashed_run_left(lab_up):
    assert STALE_NS not in _netns()
    assert lab_up["stale"].wait(timeout=10) is not None, "the stale process survived lab up"
    assert STALE_NS in lab_up["up_output"], "lab up did not say it cleared leftovers"


def test_lab_servers_have_their_own_root_and_addresses(lab_up):
    proc = _lab("exec", "server1", "sh", "-c", "hostname; ls /etc/pki/dovecot/private")
    assert proc.returncode == 0 and "server1" in proc.stdout
    assert not Path("/etc/pki/dovecot").exists(), "a server's files leaked into the machine's root"


@pytest.mark.lab_down_last
def test_lab_down_leaves_nothing_behind(lab_up):
    proc = _lab("down")
    assert proc.returncode == 0, proc.stderr
    assert _our_netns() == [], f"namespaces left: {_our_netns()}"
    assert not [d for d in LAB_DIRS if d.exists()], "lab state directories left"
    assert _lab_processes() == [], f"processes left: {_lab_processes()}"
    assert root_namespace_state() == lab_up["before"], "the machine's own namespace changed"
