"""SELinux facts as RHEL's tools print them, and the guide's two SELinux steps judged on them.

Pure functions over recorded output, so the judgement is unit-tested on real RHEL text
even where the lab's kernel has no SELinux (there the checks skip, saying so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAIL_SPOOL_T = "mail_spool_t"


def mode(getenforce_output: str) -> str:
    """ "Enforcing", "Permissive" or "Disabled"; anything else means no SELinux here."""
    word = getenforce_output.strip()
    return word if word in ("Enforcing", "Permissive", "Disabled") else "Disabled"


def context_type(ls_z_output: str) -> str:
    """The type field of `ls -Zd PATH` (``system_u:object_r:mail_spool_t:s0 /srv/mail``)."""
    first = ls_z_output.strip().split()[0] if ls_z_output.strip() else ""
    parts = first.split(":")
    return parts[2] if len(parts) >= 4 else ""


@dataclass(frozen=True)
class FcontextRule:
    spec: str
    file_type: str
    type: str

    def covers(self, path: str) -> bool:
        try:
            return re.fullmatch(self.spec, path.rstrip("/") or "/") is not None
        except re.error:
            return False


_RULE = re.compile(
    r"^(?P<spec>\S+)\s+(?P<ft>all files|directory|regular file|symbolic link|"
    r"socket|named pipe|character device|block device)\s+(?P<ctx>\S+)\s*$"
)


def fcontext_rules(semanage_output: str) -> list[FcontextRule]:
    """`semanage fcontext -l`, local customisations included; <<None>> rules are kept
    (their type is empty), headers and blank lines skipped."""
    rules = []
    for line in semanage_output.splitlines():
        m = _RULE.match(line.strip())
        if m:
            ctx = m.group("ctx")
            typ = ctx.split(":")[2] if ctx.count(":") >= 3 else ""
            rules.append(FcontextRule(m.group("spec"), m.group("ft"), typ))
    return rules


def persistent_type(rules: list[FcontextRule], path: str) -> str:
    """The type restorecon would give `path`, approximated as the last matching rule:
    local customisations are listed after the policy's and take precedence."""
    matching = [r for r in rules if r.file_type in ("all files", "directory") and r.covers(path)]
    return matching[-1].type if matching else ""


def booleans(getsebool_output: str) -> dict[str, bool]:
    """`getsebool -a` or `getsebool NAME`: ``nis_enabled --> on``."""
    found = {}
    for line in getsebool_output.splitlines():
        name, sep, value = line.partition("-->")
        if sep:
            found[name.strip()] = value.strip() == "on"
    return found


DEFAULT_MAIL_ROOTS = ("/var/mail", "/var/spool/mail")


def mail_root_problems(root: str, ls_z_output: str, semanage_output: str | None) -> list[str]:
    """What is wrong with the mail root's SELinux labelling (1.1.3 step 2), if anything.

    The label must be mail_spool_t now, and for a root other than /var/mail a local
    fcontext rule must keep it so across a relabel (semanage fcontext -a ...).
    """
    problems = []
    now = context_type(ls_z_output)
    if now != MAIL_SPOOL_T:
        problems.append(f"{root} is labelled {now or 'unlabelled'}, not {MAIL_SPOOL_T}")
    if root.rstrip("/") not in DEFAULT_MAIL_ROOTS and semanage_output is not None:
        rule = persistent_type(fcontext_rules(semanage_output), root)
        if rule != MAIL_SPOOL_T:
            problems.append(
                f"no fcontext rule gives {root} {MAIL_SPOOL_T} (rule type: "
                f"{rule or 'none'}); restorecon would undo the label"
            )
    return problems
