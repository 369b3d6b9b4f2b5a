"""Files that hold secrets are root:root with mode 600, wherever they exist (1.4 step 2).

conf.d/10-replication.conf is found beside the main configuration file that doveconf
names. (dovecot-ldap.conf.ext and dovecot-sql.conf.ext follow with the LDAP and SQL
lab hosts that can prove their checks fail.)
"""

from __future__ import annotations

import pytest

from dovecheck.hostfacts import config_dir


def _root_600(facts, evidence, paths: set[str], what: str) -> None:
    __tracebackhide__ = True
    found = {p: facts.stat_if_exists(p, evidence) for p in sorted(paths)}
    present = {p: st for p, st in found.items() if st is not None}
    if not present:
        pytest.skip(f"no {what} on {facts.host.name}")
    for st in present.values():
        assert st.is_root_only(), st.root_only_finding()


@pytest.mark.requirement("REPL-CONF-PERMS")
def test_10_replication_conf_is_root_owned_with_mode_600(facts, evidence):
    path = f"{config_dir(facts)}/conf.d/10-replication.conf"
    _root_600(facts, evidence, {path}, "10-replication.conf")
