"""Section 1.4's verification, measured once per pair: "perform an action in a mailbox on one
server and then verify if Dovecot has replicated the change to the other server".

In a throw-away dovecheck-repl-* mailbox of a test account both partners know: a new
mailbox, K appended messages each way (the latency of each), a flag change, an expunge, and
the mailbox's deletion. The measurement logs in on its own (its two sessions' transcripts
are its evidence), so it can run in the background while the pair's other checks run.

It may only overlap them on an account they leave alone. Both partners' replicators syncing
the same user at once meet each other's dsync lock (`-l 30` in Dovecot's
replication_dsync_parameters: a sync waits up to 30 s, or fails), and the other checks'
changes to their account start such syncs all the time. The checks work in the first test
account; a second one that both partners list is the pair's *quiet account*, and the
measurement runs there from the pair's first check. Without one, it runs in the first
account when its check asks, after the pair's other wire checks.
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from . import credentials
from .clients.session import open_session
from .convergence import Latencies, NotConverged, wait_until
from .errors import CheckError
from .inventory import Host
from .message import probe_message
from .services import IMAPS
from .testboxes import live_mailbox, remove_stale


@dataclass(frozen=True)
class Side:
    """One partner as the measurement reaches it: an address of one family, one account."""

    name: str
    address: str
    fqdn: str
    timeout: float
    ca_file: Path
    user: str
    password: str = field(repr=False)


@dataclass
class PairMeasurement:
    measured_on: str
    family: str
    user: str
    evidence: list[tuple[str, str]] = field(default_factory=list)
    failure: str | None = None
    error: str | None = None
    logged_in: bool = False  # both sessions opened: the outcome holds for either family


def quiet_account(host: Host, partner: Host) -> str | None:
    """The second test account, when the partner lists it too: no other check writes to it."""
    if len(host.test_accounts) < 2:
        return None
    user = host.test_accounts[1].user
    return user if any(a.user == user for a in partner.test_accounts) else None


def side(host: Host, family: str, user: str) -> Side:
    """CheckError when the inventory cannot say how to reach `user` on `host` over `family`."""
    address = host.addresses.families().get(family)
    if address is None:
        raise CheckError(f"{host.name} has no {family} address in the inventory")
    acct = next((a for a in host.test_accounts if a.user == user), None)
    if acct is None:
        raise CheckError(f"{host.name} has no test account {user} in the inventory")
    password = credentials.resolve(host, acct.password_secret)
    return Side(host.name, address, host.fqdn, host.timeout, host.ca_file, user, password)


def deadline(limit: float) -> float:
    """How long one change may take before it counts as lost: twice the threshold, so a slow
    pair is measured (and then judged on p95) rather than cut off."""
    return 2 * limit + 5


_lock = threading.Lock()
_measured: dict[tuple, Future] = {}


def measurement(here: Side, there: Side, family: str, probes: int, limit: float) -> PairMeasurement:
    """The pair's measurement in this run, made on the first call (for either partner,
    either family) and handed to every later one, or waited for while it runs. Only a
    measurement that could not log in is made again by the next call: another address
    family may have sessions to measure with."""
    key = (frozenset((here.name, there.name)), here.user, probes, limit)
    with _lock:
        future = _measured.get(key)
        owner = future is None
        if owner:
            future = _measured[key] = Future()
    if owner:
        try:
            result = _measure(here, there, family, probes, limit)
        except BaseException as exc:  # interrupted: whoever waits must not wait forever
            future.set_exception(exc)
            raise
        if not result.logged_in:
            with _lock:
                del _measured[key]
        future.set_result(result)
    return future.result()


def wait_for_measurements(name: str) -> None:
    """Until no measurement involving host `name` is running (one started in the background)."""
    with _lock:
        running = [f for key, f in _measured.items() if name in key[0]]
    for future in running:
        future.result()


def _measure(here: Side, there: Side, family: str, probes: int, limit: float) -> PairMeasurement:
    result = PairMeasurement(here.name, family, here.user)
    sessions = []
    try:
        for s in (here, there):
            client = open_session(
                s.address, s.fqdn, IMAPS.port, s.timeout, s.ca_file, s.user, s.password
            )
            sessions.append((s, client))
        a, b = sessions[0][1], sessions[1][1]
        result.logged_in = True
        remove_stale(a)  # a crashed run's leftovers in the account; their deletion replicates
        with live_mailbox("repl") as box:
            try:
                _converge(here.name, there.name, a, b, box, here.user, probes, limit, result)
            finally:
                with contextlib.suppress(Exception):
                    a.select_folder("INBOX")
                    if a.folder_exists(box):
                        a.delete_folder(box)
    except AssertionError as exc:  # NotConverged, or too slow at p95
        result.failure = str(exc)
    except CheckError as exc:
        result.error = str(exc)
    except Exception as exc:  # the server broke the session midway: the harness cannot tell
        result.error = f"the measurement stopped: {type(exc).__name__}: {exc}"
    finally:
        for s, client in sessions:
            with contextlib.suppress(Exception):
                client.logout()
            title = f"IMAP session transcript on {s.name} (port 993, {s.user})"
            result.evidence.append((title, str(client.transcript)))
    return result


def has_message(client, message_id: str) -> list[int]:
    """UIDs of the message in the selected mailbox, after a NOOP lets the session see news."""
    client.noop()
    return client.search(["HEADER", "Message-ID", message_id])


def _flagged(client, uid: int) -> bool:
    client.noop()
    return b"\\Flagged" in client.get_flags([uid]).get(uid, ())


def _append_and_wait(src, dst, box: str, user: str, direction: str, wait: float) -> float:
    """One probe, one direction at a time: appended on one partner, timed until the other
    shows it. Not both ways at once: dsync syncs both ways, so the sync the other side's
    change triggers would carry this message too, and a partner that never pushes its own
    changes (no replicator, no plug-in) would pass on its partner's work."""
    message_id, message = probe_message(user, f"dovecheck replication probe {direction}")
    src.append(box, message)
    seen = lambda: has_message(dst, message_id)  # noqa: E731
    return wait_until(f"{message_id} appended on {direction}", seen, wait)


def _converge(
    here: str,
    there: str,
    a,
    b,
    box: str,
    user: str,
    probes: int,
    limit: float,
    result: PairMeasurement,
) -> None:
    wait = deadline(limit)
    steps: dict[str, str] = {}
    try:
        a.create_folder(box)
        t = wait_until(f"mailbox {box} created on {here}", lambda: b.folder_exists(box), wait)
        steps[f"new mailbox {here} -> {there}"] = f"{t:.3f} s"
        a.select_folder(box)
        b.select_folder(box)
        # Each way in turn, switching direction as seldom as possible (twice): a switch is
        # where both replicators may sync the user at once and meet each other's lock.
        forth, back = Latencies(f"{here} -> {there}"), Latencies(f"{there} -> {here}")
        for _ in range(probes):
            forth.seconds.append(_append_and_wait(a, b, box, user, forth.direction, wait))
        uid_a = a.search(["ALL"])[0]
        fetched = a.fetch([uid_a], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])[uid_a]
        header = next(v for k, v in fetched.items() if k.startswith(b"BODY"))
        mid = header.decode().split(":", 1)[1].strip()
        uid_b = has_message(b, mid)[0]
        a.add_flags([uid_a], [b"\\Flagged"])
        t = wait_until(f"\\Flagged set on {here}", lambda: _flagged(b, uid_b), wait)
        steps[f"flag change {here} -> {there}"] = f"{t:.3f} s"
        for _ in range(probes):
            back.seconds.append(_append_and_wait(b, a, box, user, back.direction, wait))
        result.evidence.append(
            (
                f"replication latency ({result.family}, account {user}; "
                f"threshold p95 <= {limit:g} s)",
                f"{forth.describe()}\n{back.describe()}",
            )
        )
        b.delete_messages([uid_b])
        b.expunge()
        t = wait_until(f"expunge on {there}", lambda: not has_message(a, mid), wait)
        steps[f"expunge {there} -> {here}"] = f"{t:.3f} s"
        a.select_folder("INBOX")
        b.select_folder("INBOX")
        a.delete_folder(box)
        t = wait_until(f"mailbox {box} deleted on {here}", lambda: not b.folder_exists(box), wait)
        steps[f"mailbox deletion {here} -> {there}"] = f"{t:.3f} s"
    except NotConverged:
        result.evidence.append(("converged before the failure", str(steps or "nothing")))
        raise
    result.evidence.append(("other changes", str(steps)))
    slow = [lat.describe() for lat in (forth, back) if lat.p95 > limit]
    assert not slow, f"replication slower than the inventory's {limit:g} s (p95): {slow}"
