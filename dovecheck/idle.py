"""RFC 2177 IDLE, observed in the background: one session idles in a throw-away mailbox while
a second appends to it, and the first must hear EXISTS.

Dovecot batches mailbox changes for half a second before it tells an idling client
(index-mailbox-check.c), so the experiment waits at least that long per address; run as a
probe from a host's first check, that wait overlaps the other checks instead of adding to
the run. The mailbox is a `dovecheck-*` one, registered as live (`dovecheck.testboxes`) while
the experiment works in it.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass, field

from .probes import memoized
from .testboxes import live_mailbox

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


@memoized
def idle_sees_append(
    address: str, fqdn: str, port: int, timeout: float, ca_file, user: str, password: str
) -> IdleObservation:
    """Two sessions on IMAPS. A refused first login raises CheckError (nothing to test
    with); anything after it is kept in `failure`, so the check can show the transcripts."""
    from .clients.session import PinnedIMAPClient, open_session

    def login(title: str) -> PinnedIMAPClient:
        client = open_session(address, fqdn, port, timeout, ca_file, user, password)
        sessions.append((title, client))
        return client

    obs = IdleObservation()
    sessions: list[tuple[str, PinnedIMAPClient]] = []
    try:
        with live_mailbox("idle") as box:
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
        for title, client in sessions:
            with contextlib.suppress(Exception):  # already gone: the transcript shows it
                client.logout()
            obs.transcripts.append((title, str(client.transcript)))
    return obs
