"""RFC 2177 IDLE, observed in the background: one session idles in a throw-away mailbox while
a second appends to it, and the first must hear EXISTS.

Dovecot batches mailbox changes for half a second before it tells an idling client
(index-mailbox-check.c), so the experiment waits at least that long per address; run as a
probe from a host's first check, that wait overlaps the other checks instead of adding to
the run. The mailbox is a `dovecheck-*` one like every other the suites create; while the
experiment runs its name is in `LIVE`, which the suites' cleanup of leftovers leaves alone.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from dataclasses import dataclass, field

from .errors import CheckError
from .probes import memoized
from .tlsprobe import client_context

TEST_PREFIX = "dovecheck-"  # every mailbox the suites create starts with this
LIVE: set[str] = set()  # mailboxes an experiment is working in right now
_live_lock = threading.Lock()
WAIT = 5.0  # seconds the idling session listens for EXISTS

MESSAGE = (
    b"From: dovecheck <dovecheck@example.com>\r\nTo: test@example.com\r\n"
    b"Subject: dovecheck probe\r\nMessage-ID: <%s@dovecheck>\r\n\r\nprobe body\r\n"
)


@dataclass
class IdleObservation:
    announced: bool = False
    seen: list = field(default_factory=list)
    transcripts: list[tuple[str, str]] = field(default_factory=list)
    failure: Exception | None = None  # what stopped the experiment midway, if anything

    @property
    def notified(self) -> bool:
        return any(b"EXISTS" in r for r in self.seen)


def is_live(name: str) -> bool:
    with _live_lock:
        return name in LIVE


@memoized
def idle_sees_append(
    address: str, fqdn: str, port: int, timeout: float, ca_file, user: str, password: str
) -> IdleObservation:
    """Two sessions on IMAPS. A refused first login raises CheckError (nothing to test
    with); anything after it is kept in `failure`, so the check can show the transcripts."""
    from .clients.session import PinnedIMAPClient

    def login(title: str) -> PinnedIMAPClient:
        try:
            client = PinnedIMAPClient(address, fqdn, port, timeout, client_context(ca_file))
            client.plain_login(user, password)
        except Exception as exc:
            why = f"no answer within {timeout:g} s" if isinstance(exc, TimeoutError) else exc
            raise CheckError(f"no IMAP session on port {port} to test with: {why}") from exc
        sessions.append((title, client))
        return client

    obs = IdleObservation()
    sessions: list[tuple[str, PinnedIMAPClient]] = []
    box = f"{TEST_PREFIX}idle-{secrets.token_hex(4)}"
    with _live_lock:
        LIVE.add(box)
    try:
        idler = login("IMAP session that idles (port 993)")
        appender = login("IMAP session that appends (port 993)")
        obs.announced = b"IDLE" in idler.capabilities()
        if obs.announced:
            idler.create_folder(box)
            idler.select_folder(box)
            idler.idle()
            try:
                appender.append(box, MESSAGE % secrets.token_hex(8).encode())
                deadline = time.monotonic() + WAIT
                while time.monotonic() < deadline and not obs.notified:
                    obs.seen += idler.idle_check(timeout=1)
            finally:
                idler.idle_done()
            idler.close_folder()  # our own mailbox: nothing of the account's is expunged
            idler.delete_folder(box)
    except Exception as exc:  # the check reports it, with the transcripts
        if not sessions:
            raise  # no session at all: nothing to show, nothing to clean
        obs.failure = exc
    finally:
        with _live_lock:
            LIVE.discard(box)
        for title, client in sessions:
            with contextlib.suppress(Exception):  # already gone: the transcript shows it
                client.logout()
            obs.transcripts.append((title, str(client.transcript)))
    return obs
