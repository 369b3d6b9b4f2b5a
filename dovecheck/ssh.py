"""One verified SSH connection per host, under testinfra's Host API.

testinfra's paramiko backend accepts unknown host keys (WarningPolicy) and reads
command output with no timeout. This backend refuses a key that the inventory's
known_hosts does not list, and bounds every command, so a hung host is an error
in seconds instead of a hung nightly run.
"""

from __future__ import annotations

import base64
import functools
import logging
import os
import shlex
import threading
from collections.abc import Callable, Iterable
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
    def _state(self) -> _RunCache:
        return _RunCache()

    @functools.cached_property
    def client(self) -> paramiko.SSHClient:
        # A host that could not be reached once is not retried by every check: the first
        # error stands for the run, so an unreachable host costs one timeout, not dozens.
        # One connection per host, even when a prefetch thread asks at the same moment.
        with self._state.connect_lock:
            if "client" in self.__dict__:
                return self.__dict__["client"]
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
        except paramiko.AuthenticationException as exc:
            raise CheckError(
                f"{where}: SSH login refused for user {h.ssh.user} with key {h.ssh.key}: {exc}"
            ) from exc
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
            detail = (
                f"command did not finish within {self.inv_host.ssh.command_timeout:g} s: "
                f"{command[:80]!r}"
            )
            raise CommandTimedOut(f"{self.inv_host.name}: {detail}", detail) from exc
        finally:
            chan.close()
        return rc, stdout, stderr

    def run(self, command: str, *args: str, **kwargs: Any) -> Any:
        # Unlike the parent, no silent reconnect (which would use its laxer key policy).
        # The host is only read, and what it says does not change during a run: each
        # command runs once per run (or in a prefetched batch), and later asks reuse it.
        cmd = self.encode(self.get_command(command, *args))
        if not BATCHING:
            return self.run_uncached(command, *args)
        cached = self._state.get(cmd)
        if cached is None:
            kind = command_kind(cmd)
            if kind in self._state.hung:
                raise CommandTimedOut(
                    f"{self.inv_host.name}: not run, the same command kind hung earlier in "
                    f"this run ({self._state.hung[kind]})"
                )
            try:
                cached = self._exec_command(cmd)
            except CommandTimedOut as exc:
                self._state.hung[kind] = exc.detail
                raise
            self._state.put(cmd, cached)
        rc, stdout, stderr = cached
        return self.result(rc, cmd, stdout, stderr)

    def run_uncached(self, command: str, *args: str) -> Any:
        """For a check that reads what it has just changed: a fresh round trip."""
        cmd = self.encode(self.get_command(command, *args))
        rc, stdout, stderr = self._exec_command(cmd)
        return self.result(rc, cmd, stdout, stderr)

    def prefetch(self, plan: Callable[[Callable[[str], Any]], Iterable[list[str]]]) -> None:
        """Run the commands the checks will ask for in batches of one round trip each, in a
        background thread, while the checks start. `plan(run)` yields lists of commands;
        a later list may depend on what `run` returned for an earlier one. A check that
        asks for a command still in flight waits for its batch; anything the batch could
        not run is simply run on demand."""

        if not BATCHING:
            return

        def work() -> None:
            try:
                for batch in plan(self.run):
                    todo = [
                        c for c in dict.fromkeys(batch) if self._state.get_now(c.encode()) is None
                    ]
                    self._run_batch(todo)
            except Exception:  # a failed prefetch only costs round trips
                pass
            finally:
                self._state.release_all()

        thread = threading.Thread(target=work, name=f"prefetch-{self.inv_host.name}", daemon=True)
        thread.start()
        self._state.thread = thread

    def _run_batch(self, commands: list[str]) -> None:
        """The batch split into a few chunks, each one round trip on its own channel of the
        same connection, run at once: the host works on them in parallel (sshd allows 10
        sessions per connection; the checks keep the rest)."""
        if not commands:
            return
        chunks = [commands[i::BATCH_CHANNELS] for i in range(min(BATCH_CHANNELS, len(commands)))]
        threads = [threading.Thread(target=self._run_chunk, args=(c,), daemon=True) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def _run_chunk(self, commands: list[str]) -> None:
        keys = [c.encode() for c in commands]
        self._state.hold(keys)
        try:
            rc, out, _ = self._exec_command(batch_script(commands).encode())
            if rc == 0:
                for key, result in zip(keys, parse_batch(out, len(commands)), strict=False):
                    if result is not None:
                        self._state.put(key, result)
        except CheckError:
            pass  # the checks will run these themselves, and report what goes wrong
        finally:
            self._state.release(keys)

    def close(self) -> None:
        thread = self._state.thread
        if thread is not None:
            thread.join(self.inv_host.ssh.command_timeout)
        if "client" in self.__dict__:
            self.client.close()
            del self.__dict__["client"]


class CommandTimedOut(Unreachable):
    """A command that outlived the inventory's command_timeout; `detail` is what timed out,
    without the host's name, for the later commands of its kind to cite."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message


def command_kind(cmd: bytes) -> tuple[str, ...]:
    """What a hung command says about the next one: `doveadm user` that waited out the
    timeout on a hanging userdb will wait again for the next user, so one timeout per kind
    and host is paid, not one per check. The kind is the program and its first argument,
    sudo left aside; a shell script is only its own kind."""
    try:
        argv = shlex.split(cmd.decode(errors="replace"))
    except ValueError:
        return (cmd.decode(errors="replace"),)
    while argv and argv[0] in ("sudo", "-n"):
        argv = argv[1:]
    if not argv or argv[0] in ("sh", "bash"):
        return (cmd.decode(errors="replace"),)
    return tuple(argv[:2])


BATCH_CHANNELS = 4
# DOVECHECK_PREFETCH=0: one round trip per command, nothing cached (for before/after figures)
BATCHING = os.environ.get("DOVECHECK_PREFETCH", "1") != "0"


class _RunCache:
    """Command -> (rc, stdout, stderr) for the run, and the commands a batch will answer."""

    def __init__(self) -> None:
        self.connect_lock = threading.Lock()
        self.lock = threading.Lock()
        self.results: dict[bytes, tuple[int, bytes, bytes]] = {}
        self.pending: dict[bytes, threading.Event] = {}
        self.thread: threading.Thread | None = None
        self.hung: dict[tuple[str, ...], str] = {}  # command kind -> its timeout

    def get_now(self, cmd: bytes) -> tuple[int, bytes, bytes] | None:
        with self.lock:
            return self.results.get(cmd)

    def get(self, cmd: bytes) -> tuple[int, bytes, bytes] | None:
        with self.lock:
            event = self.pending.get(cmd)
        if event is not None:
            event.wait()
        return self.get_now(cmd)

    def put(self, cmd: bytes, result: tuple[int, bytes, bytes]) -> None:
        with self.lock:
            self.results[cmd] = result

    def hold(self, cmds: list[bytes]) -> None:
        with self.lock:
            for c in cmds:
                self.pending.setdefault(c, threading.Event())

    def release(self, cmds: list[bytes]) -> None:
        with self.lock:
            for c in cmds:
                event = self.pending.pop(c, None)
                if event is not None:
                    event.set()

    def release_all(self) -> None:
        with self.lock:
            events, self.pending = list(self.pending.values()), {}
        for e in events:
            e.set()


_MARK = "@@dovecheck-batch@@"


def batch_script(commands: list[str]) -> str:
    """One `sh -c` that runs each command in turn and prints, per command, its exit code and
    its stdout and stderr in base64 (exact bytes, trailing newlines included). Nothing is
    written on the host: the outputs pass through shell variables."""
    parts = []
    for c in commands:
        parts.append(
            "e=$( { o=$( ( " + c + " ) 2>&4; r=$?; echo x; exit $r); r=$?; "
            'printf "%s\\n%s\\n" "$r" "$(printf %s "${o%x}" | base64 -w0)" >&3; } 4>&1; '
            "echo x); "
            f'echo {_MARK}; printf "%s\\n" "$(printf %s "${{e%x}}" | base64 -w0)"'
        )
    script = "exec 3>&1; " + "; ".join(parts)
    return "sh -c " + _sh_quote(script)


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def parse_batch(out: bytes, n: int) -> list[tuple[int, bytes, bytes] | None]:
    """The batch's results, in order; None for one whose framing did not parse."""
    lines = out.decode("ascii", "replace").split("\n")
    results: list[tuple[int, bytes, bytes] | None] = []
    i = 0
    while len(results) < n and i + 3 < len(lines):
        rc, o, mark, e = lines[i : i + 4]
        i += 4
        try:
            if mark != _MARK:
                raise ValueError(mark)
            results.append((int(rc), base64.b64decode(o), base64.b64decode(e)))
        except ValueError:
            results.append(None)
    return results + [None] * (n - len(results))


def connect(inv_host: Host) -> testinfra.host.Host:
    """A testinfra Host over our verified backend; the connection opens on first use."""
    return testinfra.host.Host(VerifiedParamikoBackend(inv_host))
