"""Facts read on the server over SSH: effective settings and file metadata.

Privileged reads go through `sudo -n` with one fixed command each, so the audit
account needs nothing beyond the read-only rules in the README.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property

import testinfra.host

from . import doveconf, lmtpconf, selinux
from .errors import CheckError
from .evidence import Evidence
from .inventory import Host
from .listeners import parse_ss
from .mailconf import filtered

# host name -> Dovecot's version, as `doveconf -n` printed it; for the report's metadata
DOVECOT_VERSIONS: dict[str, str] = {}


@dataclass(frozen=True)
class FileStat:
    path: str
    owner: str
    group: str
    mode: int
    mtime: float
    kind: str
    # the path is a symbolic link and this is the file it leads to: what Dovecot opens
    via_link: bool = False

    def describe(self) -> str:
        where = f"{self.path} (a symbolic link, followed)" if self.via_link else self.path
        return f"{where}: {self.kind}, {self.owner}:{self.group}, mode {self.mode:04o}"

    def is_root_only(self) -> bool:
        """The guide's `chown root:root` and `chmod 600` for a file that holds a secret, or
        stricter: 0400 keeps the secret as well, so only bits beyond 0600 are a finding."""
        return (self.owner, self.group) == ("root", "root") and self.mode & 0o7777 & ~0o600 == 0

    def root_only_finding(self) -> str:
        return f"{self.describe()}; the guide wants root:root 0600 (or stricter)"


@dataclass(frozen=True)
class Command:
    cmd: str
    rc: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return f"$ {self.cmd}\n(exit {self.rc})\n{self.stdout}{self.stderr}".strip()


CONFIG_LOADED_SCRIPT = (
    'for d in /proc/[0-9]*; do c=$(tr "\\0" " " < "$d/cmdline" 2>/dev/null); '
    '[ "$c" = "dovecot/config " ] && sed "s/.*) //" "$d/stat" | cut -d" " -f20; done; '
    "cut -d' ' -f1 /proc/uptime; date +%s.%N; getconf CLK_TCK"
)
STAT_FORMAT = "%U %G %a %.3Y %F"


class HostFacts:
    """One per host per run: facts that do not change during a run are read once.

    On a Dovecot server, the facts the suites read are fetched up front in two batched
    round trips (see `prefetch_plan`), in the background while the first checks run."""

    def __init__(self, ssh: testinfra.host.Host, host: Host, prefetch: bool = True) -> None:
        self.ssh = ssh
        self.host = host
        backend = getattr(ssh, "backend", None)
        if prefetch and host.role == "dovecot" and hasattr(backend, "prefetch"):
            backend.prefetch(lambda run: prefetch_plan(self, run))

    def command_line(self, argv: list[str], privileged: bool = True) -> str:
        cmd = shlex.join(argv)
        return f"sudo -n {cmd}" if privileged and self.host.ssh.sudo else cmd

    def execute(self, argv: list[str], privileged: bool = True, fresh: bool = False) -> Command:
        """`fresh`: a new round trip, for a check that changes something and asks again
        (the run otherwise answers a command it has seen from its cache)."""
        cmd = self.command_line(argv, privileged)
        result = self.ssh.backend.run_uncached(cmd) if fresh else self.ssh.run(cmd)
        if privileged and result.rc != 0 and result.stderr.startswith("sudo:"):
            # sudo said no (or the command is not there for it to allow): the harness could
            # not look, which is not the server's fault.
            raise CheckError(
                f"{self.host.name}: sudo refused `{cmd}`: {result.stderr.strip()} "
                "(see the README's least-privilege rules)"
            )
        return Command(cmd, result.rc, result.stdout, result.stderr)

    @cached_property
    def doveconf_n(self) -> Command:
        cmd = self.execute(["doveconf", "-n"])
        if m := re.match(r"# (\d+\.\d+[\w.]*)", cmd.stdout):
            DOVECOT_VERSIONS[self.host.name] = m.group(1)
        return cmd

    @cached_property
    def config(self) -> doveconf.Config:
        """The effective configuration; a doveconf that fails is the harness's error here
        (SVC-DOVECONF is the check that judges doveconf itself)."""
        cmd = self.doveconf_n
        if cmd.rc != 0:
            raise CheckError(f"{self.host.name}: doveconf -n exited {cmd.rc}: {cmd.stderr[:300]}")
        return doveconf.parse(cmd.stdout)

    def read(self, path: str, evidence: Evidence | None = None) -> str:
        """A world-readable file, read without privilege (certificates, DH, dovecot.conf)."""
        return self.run(["cat", "--", path], evidence, privileged=False)

    def doveadm_user(self, user: str, field: str, evidence: Evidence | None = None) -> str:
        return self.run(["doveadm", "user", "-f", field, user], evidence).strip()

    def selinux_mode(self) -> str:
        """Enforcing, Permissive or Disabled; no getenforce means no SELinux."""
        result = self.execute(["getenforce"], privileged=False)
        return selinux.mode(result.stdout) if result.rc == 0 else "Disabled"

    def config_loaded_at(self, evidence: Evidence | None = None) -> float:
        """When the running Dovecot last (re)read its configuration, as a Unix time.

        The master restarts its config process on every start and reload, so that
        process's start time is the moment; /proc gives it to 10 ms, without privilege.
        """
        out = self.run(["sh", "-c", CONFIG_LOADED_SCRIPT], evidence, privileged=False).split()
        if len(out) < 4:
            raise CheckError(f"{self.host.name}: Dovecot's config process is not running")
        ticks, uptime, now, hz = int(out[0]), float(out[-3]), float(out[-2]), int(out[-1])
        return now - uptime + ticks / hz

    def files_changed_since(
        self, directory: str, when: float, evidence: Evidence | None = None
    ) -> list[str]:
        """Files under `directory` modified after `when` (those the audit account can see)."""
        result = self.execute(
            ["find", directory, "-type", "f", "-newermt", f"@{when:.3f}"], privileged=False
        )
        if evidence is not None:
            evidence.add(f"{self.host.name}: {result.cmd}", result.describe())
        return result.stdout.split()

    @cached_property
    def listeners(self):
        """Listening TCP sockets with their processes (root sees every process's)."""
        return parse_ss(self.run(["ss", "-Hltnp"]))

    def is_systemd(self) -> bool:
        return self.execute(["test", "-d", "/run/systemd/system"], privileged=False).rc == 0

    def run(
        self,
        argv: list[str],
        evidence: Evidence | None = None,
        privileged: bool = True,
        fresh: bool = False,
    ) -> str:
        """Run one command; a non-zero exit is the harness's error, not a finding."""
        result = self.execute(argv, privileged, fresh)
        if evidence is not None:
            evidence.add(f"{self.host.name}: {result.cmd}", result.describe())
        if result.rc != 0:
            raise CheckError(
                f"{self.host.name}: `{result.cmd}` exited {result.rc}: "
                f"{result.stderr.strip()[:300]}"
            )
        return result.stdout

    def setting(
        self, name: str, evidence: Evidence | None = None, filters: tuple[str, ...] = ()
    ) -> str:
        """One effective setting, as Dovecot resolves it (doveconf -h), defaults included."""
        argv = ["doveconf"]
        for f in filters:
            argv += ["-f", f]
        return self.run([*argv, "-h", name], evidence).strip()

    def stat(self, path: str, evidence: Evidence | None = None) -> FileStat:
        found = self.stat_if_exists(path, evidence)
        if found is None:
            raise CheckError(f"{self.host.name}: {path} does not exist")
        return found

    def stat_if_exists(self, path: str, evidence: Evidence | None = None) -> FileStat | None:
        """Metadata of the file Dovecot opens at `path`, or None when there is none.

        A symbolic link is followed (a certbot layout links the key and the certificate into
        place): its own mode is always 0777 and says nothing of who can read the key, so the
        target is what is judged. Only a link costs the second `stat`."""
        found = self._stat(["stat", "-c", STAT_FORMAT, "--", path], path, evidence)
        if found is not None and found.kind == "symbolic link":
            target = self._stat(["stat", "-L", "-c", STAT_FORMAT, "--", path], path, evidence)
            return None if target is None else replace(target, via_link=True)
        return found

    def _stat(self, argv: list[str], path: str, evidence: Evidence | None) -> FileStat | None:
        result = self.execute(argv)
        if evidence is not None:
            evidence.add(f"{self.host.name}: {result.cmd}", result.describe())
        if result.rc != 0 and "No such file" in result.stderr:
            return None
        if result.rc != 0:
            raise CheckError(
                f"{self.host.name}: `{result.cmd}` exited {result.rc}: "
                f"{result.stderr.strip()[:300]}"
            )
        out = result.stdout
        try:
            owner, group, mode, mtime, kind = out.strip().split(" ", 4)
            return FileStat(path, owner, group, int(mode, 8), float(mtime), kind)
        except ValueError as exc:
            raise CheckError(f"{self.host.name}: unexpected stat output {out!r}") from exc


def config_dir(facts: HostFacts) -> str:
    """The directory of the main configuration file, from doveconf's own header."""
    m = re.search(r"^# .*?: (/\S+)$", facts.doveconf_n.stdout, re.M)
    return posixpath.dirname(m.group(1)) if m else "/etc/dovecot"


DOVECONF_FILTER = {"local_name": "lname"}  # doveconf -f names local_name blocks lname


def effective_values(facts: HostFacts, name: str, evidence: Evidence | None = None) -> set[str]:
    """A setting's values globally, in each expected protocol's block, and in each filter
    block (local, remote, local_name) that sets it, as doveconf resolves them."""
    values = {facts.setting(name, evidence)}
    for protocol in facts.host.expect.protocols:
        values.add(facts.setting(name, evidence, (f"protocol={protocol}",)))
    for path, _ in filtered(facts.config, name).values():
        filters = tuple(f"{DOVECONF_FILTER.get(k, k)}={n}" for k, n in path)
        values.add(facts.setting(name, evidence, filters))
    return {v for v in values if v}


def tls_file_settings(facts: HostFacts, evidence: Evidence | None = None) -> dict[str, str]:
    """ssl_cert, ssl_key, ssl_ca and ssl_dh as configured; -n hides key and dh, -h shows paths."""
    conf = facts.config.settings
    return {
        "ssl_cert": conf.get("ssl_cert", ""),
        "ssl_ca": conf.get("ssl_ca", ""),
        "ssl_key": facts.setting("ssl_key", evidence),
        "ssl_dh": facts.setting("ssl_dh", evidence),
    }


def prefetch_plan(facts: HostFacts, run) -> Iterator[list[str]]:
    """The commands the host suites ask, phrased exactly as they ask them, in batches: what
    needs no knowledge of the host, then the files its configuration names, then firewalld.
    A command missing here just costs its own round trip; one the suites never ask costs a
    few ms.
    `doveadm user` is left out: it asks the userdb backend, which may hang (LDAP or SQL
    down), and a chunk waits for its slowest command, so it would hold up the host reads
    that share its chunk for the whole command timeout."""
    h = facts.host
    priv, plain = facts.command_line, (lambda argv: facts.command_line(argv, privileged=False))
    user, root = h.expect.mail_user, h.expect.mail_root
    accounts = [a.user for a in h.test_accounts]
    doveconf_n = priv(["doveconf", "-n"])
    key, dh = priv(["doveconf", "-h", "ssl_key"]), priv(["doveconf", "-h", "ssl_dh"])
    yield [
        doveconf_n,
        key,
        dh,
        *(priv(["doveconf", "-f", f"protocol={p}", "-h", "ssl_key"]) for p in h.expect.protocols),
        priv(["ss", "-Hltnp"]),
        priv(["stat", "-c", STAT_FORMAT, "--", root]),
        plain(["getenforce"]),
        plain(["test", "-d", "/run/systemd/system"]),
        plain(["sh", "-c", CONFIG_LOADED_SCRIPT]),
        plain(["ls", "-A", "--", root]),
        # testinfra's modules (system info, user, package, process), as they phrase them
        "uname -s",
        "uname -m",
        "test -e /bin/busybox",
        "cat /etc/os-release",
        "realpath /bin/ps",
        "ps -Aww -o comm:50,pcpu:50,pid:50,pmem:50,lstart:50,args",
        *(f"{c} {shlex.quote(u)}" for u in [user] for c in ("id", "getent passwd", "id -u")),
        *(f"id {shlex.quote(a)}" for a in accounts),
        *(
            f"dpkg-query -f '${{Status}}' -W {p}"
            for p in ("dovecot", "dovecot-core", "dovecot-managesieved", "dovecot-pigeonhole")
        ),
    ]
    out = run(doveconf_n)
    if out.rc != 0:
        return
    config = doveconf.parse(out.stdout)
    files = {v.removeprefix("<") for v in (config.get("ssl_cert"), config.get("ssl_ca")) if v}
    files |= {run(c).stdout.strip().removeprefix("<") for c in (key, dh)}
    files.discard("")
    conf_dir = config_dir(facts)
    readable = [f for f in files if f != run(key).stdout.strip().removeprefix("<")]
    yield [
        *(priv(["stat", "-c", STAT_FORMAT, "--", f]) for f in sorted(files)),
        *(plain(["cat", "--", f]) for f in sorted(readable)),
        plain(["cat", "--", posixpath.join(conf_dir, "dovecot.conf")]),
        priv(
            [
                "stat",
                "-c",
                STAT_FORMAT,
                "--",
                posixpath.join(conf_dir, "conf.d/10-replication.conf"),
            ]
        ),
        priv(["stat", "-c", STAT_FORMAT, "--", lmtpconf.socket_path(config)]),
    ]
    if h.expect.firewall:
        # last: firewall-cmd is a Python program asking firewalld over D-Bus (a few tenths
        # of a second each), and a chunk waits for its slowest command
        yield [
            plain(["test", "-x", "/usr/bin/firewall-cmd"]),
            priv(["firewall-cmd", "--state"]),
            priv(["firewall-cmd", "--get-default-zone"]),
            priv(["firewall-cmd", "--list-all-zones"]),
            priv(["firewall-cmd", "--permanent", "--list-all-zones"]),
        ]
