"""One verified SSH connection per host, under testinfra's Host API.

testinfra's paramiko backend accepts unknown host keys (WarningPolicy) and reads
command output with no timeout. This backend refuses a key that the inventory's
known_hosts does not list, and bounds every command, so a hung host is an error
in seconds instead of a hung nightly run.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import paramiko
import testinfra.host
from testinfra.backend.paramiko import ParamikoBackend

from .errors import CheckError, Unreachable
from .inventory import Host

# paramiko logs its own tracebacks for a peer that is not an SSH server; the harness
# turns every such failure into one clear error line, so they would only be noise.
logging.getLogger("paramiko").setLevel(logging.CRITICAL)


class VerifiedParamikoBackend(ParamikoBackend):
    def __init__(self, inv_host: Host, **kwargs: Any) -> None:
        self.inv_host = inv_host
        super().__init__(f"{inv_host.ssh.user}@{inv_host.ssh_address}", **kwargs)

    _failure: CheckError | None = None

    @functools.cached_property
    def client(self) -> paramiko.SSHClient:
        # A host that could not be reached once is not retried by every check: the first
        # error stands for the run, so an unreachable host costs one timeout, not dozens.
        if self._failure is not None:
            raise type(self._failure)(str(self._failure))
        try:
            return self._connect()
        except CheckError as exc:
            self._failure = exc
            raise

    def _connect(self) -> paramiko.SSHClient:
        h = self.inv_host
        where = f"{h.name} ({h.ssh_address} port {h.ssh.port})"
        client = paramiko.SSHClient()
        try:
            client.load_host_keys(str(h.ssh.known_hosts))
        except (OSError, paramiko.SSHException) as exc:
            raise CheckError(f"{h.ssh.known_hosts}: cannot read known_hosts: {exc}") from exc
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            client.connect(
                h.ssh_address,
                port=h.ssh.port,
                username=h.ssh.user,
                key_filename=str(h.ssh.key),
                timeout=h.ssh.connect_timeout,
                banner_timeout=h.ssh.connect_timeout,
                auth_timeout=h.ssh.connect_timeout,
                allow_agent=False,
                look_for_keys=False,
            )
        except paramiko.BadHostKeyException as exc:
            raise CheckError(f"{where}: host key does NOT match {h.ssh.known_hosts}") from exc
        except paramiko.SSHException as exc:
            if "not found in known_hosts" in str(exc):
                raise CheckError(f"{where}: host key unknown: not in {h.ssh.known_hosts}") from exc
            raise CheckError(f"{where}: SSH failed: {exc}") from exc
        except TimeoutError as exc:
            raise Unreachable(f"{where}: no SSH answer within {h.ssh.connect_timeout:g} s") from exc
        except OSError as exc:
            raise Unreachable(f"{where}: {exc.strerror or exc}") from exc
        return client

    def _exec_command(self, command: bytes) -> tuple[int, bytes, bytes]:
        transport = self.client.get_transport()
        if transport is None or not transport.is_active():
            raise Unreachable(f"{self.inv_host.name}: SSH connection lost")
        chan = transport.open_session(timeout=self.inv_host.ssh.connect_timeout)
        chan.settimeout(self.inv_host.ssh.command_timeout)
        try:
            chan.exec_command(command)
            stdout = chan.makefile("rb").read()
            stderr = chan.makefile_stderr("rb").read()
            rc = chan.recv_exit_status()
        except TimeoutError as exc:
            raise Unreachable(
                f"{self.inv_host.name}: command did not finish within "
                f"{self.inv_host.ssh.command_timeout:g} s: {command[:80]!r}"
            ) from exc
        finally:
            chan.close()
        return rc, stdout, stderr

    def run(self, command: str, *args: str, **kwargs: Any) -> Any:
        # Unlike the parent, no silent reconnect (which would use its laxer key policy).
        cmd = self.encode(self.get_command(command, *args))
        rc, stdout, stderr = self._exec_command(cmd)
        return self.result(rc, cmd, stdout, stderr)

    def close(self) -> None:
        if "client" in self.__dict__:
            self.client.close()
            del self.__dict__["client"]


def connect(inv_host: Host) -> testinfra.host.Host:
    """A testinfra Host over our verified backend; the connection opens on first use."""
    return testinfra.host.Host(VerifiedParamikoBackend(inv_host))
