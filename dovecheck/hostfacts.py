"""Facts read on the server over SSH: effective settings and file metadata.

Privileged reads go through `sudo -n` with one fixed command each, so the audit
account needs nothing beyond the read-only rules in the README.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

import testinfra.host

from .errors import CheckError
from .evidence import Evidence
from .inventory import Host


@dataclass(frozen=True)
class FileStat:
    path: str
    owner: str
    group: str
    mode: int
    kind: str

    def describe(self) -> str:
        return f"{self.path}: {self.kind}, {self.owner}:{self.group}, mode {self.mode:04o}"


class HostFacts:
    def __init__(self, ssh: testinfra.host.Host, host: Host) -> None:
        self.ssh = ssh
        self.host = host

    def run(
        self, argv: list[str], evidence: Evidence | None = None, privileged: bool = True
    ) -> str:
        """Run one command; a non-zero exit is the harness's error, not a finding."""
        cmd = shlex.join(argv)
        if privileged and self.host.ssh.sudo:
            cmd = f"sudo -n {cmd}"
        result = self.ssh.run(cmd)
        if evidence is not None:
            evidence.add(f"{self.host.name}$ {cmd}", (result.stdout + result.stderr).strip())
        if result.rc != 0:
            raise CheckError(
                f"{self.host.name}: `{cmd}` exited {result.rc}: {result.stderr.strip()[:300]}"
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
        out = self.run(["stat", "-c", "%U\t%G\t%a\t%F", "--", path], evidence)
        try:
            owner, group, mode, kind = out.strip().split("\t")
            return FileStat(path, owner, group, int(mode, 8), kind)
        except ValueError as exc:
            raise CheckError(f"{self.host.name}: unexpected stat output {out!r}") from exc


def effective_values(facts: HostFacts, name: str, evidence: Evidence | None = None) -> set[str]:
    """A setting's values globally and in each expected protocol's block."""
    values = {facts.setting(name, evidence)}
    for protocol in facts.host.expect.protocols:
        values.add(facts.setting(name, evidence, (f"protocol={protocol}",)))
    return {v for v in values if v}
