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


def wait_ready(booting: Booting, timeout: float = BOOT_TIMEOUT) -> None:
    name = booting.host.name
    deadline = time.monotonic() + timeout
    init_pid = None
    while time.monotonic() < deadline:
        if booting.proc.poll() is not None:
            raise LabError(f"{name} died while booting:\n{boot_log(name)}")
        init_pid = init_pid or _init_pid(booting.proc.pid)
        if init_pid:
            pid_file(name).write_text(str(init_pid))
            run_dir = Path(f"/proc/{init_pid}/root/run")
            if (run_dir / "lab-ready").exists():
                return
            if (run_dir / "lab-failed").exists():
                raise LabError(f"{name} failed to provision:\n{_tail(boot_log(name))}")
        time.sleep(0.05)
    raise LabError(f"{name} was not ready after {timeout:.0f} s:\n{_tail(boot_log(name))}")


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
