"""Booting a lab host: seed directory in, running machine with sshd and Dovecot out.

A server host is a PID namespace (so `lab down` can end every process at once),
a mount namespace with an overlay root of its own (so /etc, /var/mail and /run
are its own), and the network namespace that `netns` wired.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .shell import LabError
from .topology import RUN_DIR, STATE_DIR, LabHost

# The package's scripts and profiles, and the copies the hosts run: a host's root is the
# machine's / with a fresh /tmp and /run, so a checkout under /tmp would be invisible there.
PACKAGE_SH = Path(str(resources.files("dovecheck.lab") / "sh"))
PACKAGE_PROFILES = Path(str(resources.files("dovecheck.lab") / "profiles"))
SH_DIR = STATE_DIR / "lib" / "sh"
PROFILES_DIR = STATE_DIR / "lib" / "profiles"


def install_scripts() -> None:
    for src, dst in ((PACKAGE_SH, SH_DIR), (PACKAGE_PROFILES, PROFILES_DIR)):
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)


BOOT_TIMEOUT = 120.0  # firewalld (Python) on many hosts booting at once


def seed_dir(name: str) -> Path:
    return STATE_DIR / "hosts" / name


def pid_file(name: str) -> Path:
    return seed_dir(name) / "init.pid"


@dataclass
class Booting:
    host: LabHost
    proc: subprocess.Popen[bytes]


def start(host: LabHost) -> Booting:
    """Start the host's namespaces and init; `wait_ready` tells whether it came up."""
    rt = RUN_DIR / host.name
    rt.mkdir(parents=True, exist_ok=True)
    log = (seed_dir(host.name) / "boot-outer.log").open("wb")
    argv = [
        "ip",
        "netns",
        "exec",
        host.netns,
        "unshare",
        "--mount",
        "--pid",
        "--fork",
        "--uts",
        "--ipc",
        "--propagation",
        "private",
        "--kill-child",
        "/bin/sh",
        str(SH_DIR / "boot.sh"),
        host.name,
        str(seed_dir(host.name)),
        str(rt),
        str(SH_DIR / "init.sh"),
    ]
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
    )
    return Booting(host, proc)


def _init_pid(unshare_pid: int) -> int | None:
    try:
        children = Path(f"/proc/{unshare_pid}/task/{unshare_pid}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def boot_log(name: str) -> str:
    pid = read_pid(name)
    for path in (
        Path(f"/proc/{pid}/root/run/lab-boot.log") if pid else None,
        seed_dir(name) / "boot-outer.log",
    ):
        if path is not None and path.exists():
            text = path.read_text(errors="replace").strip()
            if text:
                return text
    return "(no boot log)"


def wait_ready(booting: list[Booting], timeout: float = BOOT_TIMEOUT) -> None:
    """Wait until every host is up, and tell each replication partner when the other's
    services run.

    Partners boot at once; a first sync towards a partner still provisioning fails, and
    Dovecot's replicator retries a failed user only minutes later, so a lab host would
    start its audit with failed requests that no misconfiguration caused. The hosts
    cannot see each other's /run, so the lab relays the news: a host's
    /run/lab-services-up becomes its partner's /run/lab-partner-up.

    The timeout runs from the last host that became ready: a hundred hosts booting on
    two cores take longer together than one does, but each keeps making progress.
    """
    deadline = time.monotonic() + timeout
    names = {b.host.name for b in booting}
    partner_of = {
        b.host.name: p for b in booting if (p := b.host.expect.get("replication_partner")) in names
    }
    init_pids: dict[str, int] = {}
    relayed: set[str] = set()
    waiting = list(booting)
    while waiting:
        for b in booting:
            name = b.host.name
            if name not in init_pids and (pid := _init_pid(b.proc.pid)):
                init_pids[name] = pid
                pid_file(name).write_text(str(pid))
        for name, partner in partner_of.items():
            if name in relayed or name not in init_pids or partner not in init_pids:
                continue
            if (_run_dir(init_pids[partner]) / "lab-services-up").exists():
                (_run_dir(init_pids[name]) / "lab-partner-up").touch()
                relayed.add(name)
        still = []
        for b in waiting:
            name = b.host.name
            if b.proc.poll() is not None:
                raise LabError(f"{name} died while booting:\n{boot_log(name)}")
            run_dir = _run_dir(init_pids[name]) if name in init_pids else None
            if run_dir is not None and (run_dir / "lab-ready").exists():
                continue
            if run_dir is not None and (run_dir / "lab-failed").exists():
                raise LabError(f"{name} failed to provision:\n{_tail(boot_log(name))}")
            still.append(b)
        if len(still) < len(waiting):
            deadline = time.monotonic() + timeout
        waiting = still
        if waiting and time.monotonic() >= deadline:
            name = waiting[0].host.name
            raise LabError(f"{name} was not ready after {timeout:.0f} s:\n{_tail(boot_log(name))}")
        if waiting:
            time.sleep(0.05)


def _run_dir(init_pid: int) -> Path:
    return Path(f"/proc/{init_pid}/root/run")


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.splitlines()[-lines:])


def read_pid(name: str) -> int | None:
    try:
        return int(pid_file(name).read_text())
    except (OSError, ValueError):
        return None


def exec_argv(name: str, argv: list[str]) -> list[str]:
    """The command line that runs `argv` inside a host, as its own processes see the world."""
    pid = read_pid(name)
    if pid is None or not Path(f"/proc/{pid}").exists():
        raise LabError(f"lab host {name!r} is not running (lab status lists the hosts)")
    return ["nsenter", "-t", str(pid), "-m", "-u", "-i", "-n", "-p", "-r", "-w", "--", *argv]


def clear_runtime() -> None:
    shutil.rmtree(RUN_DIR, ignore_errors=True)
