"""Hosts in parallel: under `pytest -n N`, each host's checks form one group, so one worker
(and one SSH connection) serves a host while others serve theirs.

It also keeps a host's checks sequential, which the wire suites need: they share the
host's test account, and each cleans the account's dovecheck-* mailboxes. Replication
partners share their accounts' mailboxes, so a pair is one group.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """The groups below whatever `--dist` says: `-n 4` alone means xdist's `load`, which
    deals out single checks, and two workers then share a host's test account (one
    removing the dovecheck-* mailbox the other's IDLE experiment is selected in: Dovecot
    answers `BYE IMAP session state is inconsistent`). Two halves, because a worker parses
    the command line again rather than take the controller's options: the controller
    schedules by group, and each worker marks its checks' node IDs with their group, which
    xdist does only under `loadgroup` and the scheduler reads."""
    if hasattr(config, "workerinput"):
        config.option.loadgroup = True
    elif getattr(config.option, "dist", "no") != "no":
        config.option.dist = "loadgroup"


def pytest_itemcollected(item: pytest.Item) -> None:
    # Marked as each item is collected: xdist reads the groups in its own
    # collection_modifyitems, which may run before any other plugin's.
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    host = getattr(params.get("endpoint"), "host", None) or params.get("target")
    if hasattr(host, "name"):  # not the placeholder of an empty parametrisation
        partner = getattr(getattr(host, "expect", None), "replication_partner", None)
        pair = {host.name, partner or host.name}
        item.add_marker(pytest.mark.xdist_group("+".join(sorted(pair))))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Wire checks before host checks. A host's first check starts its SSH connection and
    host-fact batches in the background (`fixtures/warmup.py`); the wire checks ask little
    of them, so by the time the host checks run their facts are read, where a run that
    began with a host check began with that wait."""
    items.sort(key=lambda i: "suites" in i.path.parts and "host" in i.path.parts)
