"""The mailboxes the suites create in a test account, and which of them are in use.

Every one is named `dovecheck-*`, and the suites remove every such mailbox before and after
a check (a crashed run's leftovers included). An experiment that runs in the background
(IDLE, `dovecheck.idle`) registers its mailbox while it works in it, so that the checks running
meanwhile leave it alone.
"""

from __future__ import annotations

import contextlib
import imaplib
import secrets
import threading
from collections.abc import Iterator

TEST_PREFIX = "dovecheck-"
_live: set[str] = set()
_lock = threading.Lock()


def is_live(name: str) -> bool:
    with _lock:
        return name in _live


@contextlib.contextmanager
def live_mailbox(kind: str) -> Iterator[str]:
    """A fresh dovecheck-<kind>-* name, registered as in use until the block ends."""
    name = f"{TEST_PREFIX}{kind}-{secrets.token_hex(4)}"
    with _lock:
        _live.add(name)
    try:
        yield name
    finally:
        with _lock:
            _live.discard(name)


def remove_stale(client) -> None:
    """Remove the account's dovecheck-* mailboxes, deepest first, but not one a background
    experiment is working in: in a check's setup (a crashed run's leftovers) and teardown."""
    names = [
        f[2]
        for f in client.list_folders()
        if str(f[2]).startswith(TEST_PREFIX) and not is_live(str(f[2]))
    ]
    for name in sorted(names, key=len, reverse=True):
        try:
            client.delete_folder(name)
        except imaplib.IMAP4.error as exc:
            # Gone meanwhile, which is the point: on a replication pair the partner's own
            # cleanup (or a converging deletion) can remove it between LIST and DELETE.
            if "[NONEXISTENT]" not in str(exc):
                raise
