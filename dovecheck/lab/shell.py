"""Running commands for the lab, loudly: a failed step names the command and its stderr."""

from __future__ import annotations

import shlex
import subprocess


class LabError(RuntimeError):
    """A lab step failed; the message says which and why, for one clear line to the user."""


def run(*argv: str, check: bool = True, timeout: float = 60, input: str | None = None) -> str:
    try:
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, input=input, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"timed out after {timeout:.0f} s: {shlex.join(argv)}") from exc
    except FileNotFoundError as exc:
        raise LabError(f"command not found: {argv[0]} (run the README's set-up first)") from exc
    if check and proc.returncode != 0:
        raise LabError(f"{shlex.join(argv)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def ns(netns: str, *argv: str, check: bool = True) -> str:
    """A command in a lab network namespace (ip -n avoids even entering it for ip itself)."""
    if argv and argv[0] == "ip":
        return run("ip", "-n", netns, *argv[1:], check=check)
    return run("ip", "netns", "exec", netns, *argv, check=check)
