"""The per-run command cache: a batch's framing survives any bytes, and a command kind
that hung once on a host is not waited on again."""

from __future__ import annotations

import subprocess

import pytest

from dovecheck import ssh
from dovecheck.inventory import Host


def test_a_batch_returns_each_commands_exact_output_and_exit_code() -> None:
    commands = ["printf 'a\\n\\n'", "echo err >&2; exit 3", "printf '%s' \"$(printf '\\001x')\""]
    # batch_script quotes for a remote shell; run it the way sshd would
    out = subprocess.run(ssh.batch_script(commands), shell=True, capture_output=True, check=False)
    results = ssh.parse_batch(out.stdout, len(commands))
    assert results[0] == (0, b"a\n\n", b"")
    assert results[1] == (3, b"", b"err\n")
    assert results[2] == (0, b"\x01x", b"")


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        (b"sudo -n doveadm user -f mail dctest1", ("doveadm", "user")),
        (b"sudo -n doveadm user '*'", ("doveadm", "user")),
        (b"doveadm replicator status", ("doveadm", "replicator")),
        (b"sh -c 'sleep 1'", ("sh -c 'sleep 1'",)),
    ],
)
def test_the_kind_of_a_command_is_its_program_and_first_argument(command, kind) -> None:
    assert ssh.command_kind(command) == kind


class _Hanging(ssh.VerifiedParamikoBackend):
    calls = 0

    def _exec_command(self, command: bytes):
        type(self).calls += 1
        raise ssh.CommandTimedOut(f"h: command did not finish within 20 s: {command[:80]!r}")


def test_a_hung_command_kind_costs_one_timeout_per_host() -> None:
    host = Host.model_validate(
        {
            "name": "h",
            "fqdn": "h.example.com",
            "addresses": {"ipv4": "198.51.100.9"},
            "ca_file": "/dev/null",
            "ssh": {"user": "audit", "key": "/dev/null", "known_hosts": "/dev/null"},
            "test_accounts": [{"user": "u", "password_secret": "s"}],
        }
    )
    backend = _Hanging(host)
    with pytest.raises(ssh.CommandTimedOut, match="within 20 s"):
        backend.run("sudo -n doveadm user -f mail u")
    with pytest.raises(ssh.CommandTimedOut, match="hung earlier in this run"):
        backend.run("sudo -n doveadm user -f uid u")
    assert _Hanging.calls == 1
