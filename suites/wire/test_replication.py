"""1.4 verification: a change in a mailbox on one partner appears on the other.

On the test account only, in a throw-away dovecheck-repl-* mailbox, over IPv4 and IPv6:
a new mailbox, K appended messages each way (the latency of each, p50 and p95 per
direction, held against the inventory's replication_max_latency), a flag change, an
expunge, and the mailbox's deletion all converge. Failover (opt-in, lab hosts only,
destructive): Dovecot stopped on one partner, mail written on the other, and the pair
converges once it is back.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from dovecheck import credentials
from dovecheck.convergence import Latencies, NotConverged, wait_until
from dovecheck.errors import CheckError
from dovecheck.inventory import Host
from dovecheck.lab import hosts as lab_hosts
from dovecheck.lab.inventory_out import INVENTORY_FILE
from dovecheck.message import probe_message
from dovecheck.targets import Endpoint
from fixtures.wire import _session


def _partner_account(partner: Host, user: str) -> tuple[str, str]:
    acct = next((a for a in partner.test_accounts if a.user == user), None)
    if acct is None:
        raise CheckError(f"{partner.name} has no test account {user} in the inventory")
    return acct.user, credentials.resolve(partner, acct.password_secret)


@pytest.fixture
def partner_session(endpoint: Endpoint, partner: Host, account, evidence) -> Iterator:
    """The same account on the partner, over the same address family."""
    address = partner.addresses.families().get(endpoint.family)
    if address is None:
        pytest.skip(f"{partner.name} has no {endpoint.family} address in the inventory")
    there = Endpoint(partner, endpoint.family, address)
    title = f"IMAP session transcript on {partner.name} (port 993)"
    yield from _session(there, evidence, _partner_account(partner, account[0]), title)


@pytest.fixture
def probes(request: pytest.FixtureRequest, endpoint: Endpoint) -> int:
    return request.config.getoption("replication_probes") or endpoint.host.expect.replication_probes


def _has(client, message_id: str) -> list[int]:
    client.noop()
    return client.search(["HEADER", "Message-ID", message_id])


def _flagged(client, uid: int) -> bool:
    client.noop()
    flags = client.get_flags([uid]).get(uid, ())
    return b"\\Flagged" in flags


def _deadline(limit: float) -> float:
    """How long one change may take before it counts as lost: twice the threshold, so a slow
    pair is measured (and then judged on p95) rather than cut off."""
    return 2 * limit + 5


def _append_and_wait(src, dst, box: str, user: str, direction: str, limit: float) -> float:
    """One probe, one direction at a time: appended on one partner, timed until the other
    shows it. Not both ways at once: dsync syncs both ways, so the sync the other side's
    change triggers would carry this message too, and a partner that never pushes its own
    changes (no replicator, no plug-in) would pass on its partner's work."""
    message_id, message = probe_message(user, f"dovecheck replication probe {direction}")
    src.append(box, message)
    return wait_until(f"{message_id} appended on {direction}", lambda: _has(dst, message_id), limit)


@dataclass
class PairMeasurement:
    """A pair's convergence, measured once per run: every other REPL-CONVERGES check of the
    pair (the partner's, and the second address family's) reports the same measurement
    instead of repeating it. Each measurement already goes both ways, and the partners
    replicate over mail_replica, whichever address family the auditor's sessions use: the
    auditor's family only carries the probes, and IMAP over each family has its own checks."""

    measured_on: str
    family: str
    evidence: list[tuple[str, str]]
    failure: str | None = None
    error: str | None = None


_MEASURED: dict[tuple[frozenset[str], str, float, int], PairMeasurement] = {}


@pytest.mark.requirement("REPL-CONVERGES")
def test_changes_on_either_partner_reach_the_other(
    endpoint, partner, account, probes, evidence, request
):
    # the same measurement serves both partners only when both hold it to the same bar
    limit = endpoint.host.expect.replication_max_latency
    pair = frozenset((endpoint.host.name, partner.name))
    key = (pair, account[0], limit, probes)
    done = _MEASURED.get(key)
    if done is not None:
        evidence.add(
            "measured once per pair",
            f"{endpoint.host.name} and {partner.name} were measured in both directions by the "
            f"check of {done.measured_on} over {done.family} in this run (the partners "
            "replicate over mail_replica whatever family the auditor's probes use)",
        )
        for title, text in done.evidence:
            evidence.add(title, text)
        if done.error is not None:
            raise CheckError(done.error)
        if done.failure is not None:
            raise AssertionError(done.failure)
        return
    # A verdict is remembered for the pair's other checks; a skip, an unexpected error, or
    # no session to probe with over this family (the other family may have one) is not.
    a = request.getfixturevalue("imap_session")
    b = request.getfixturevalue("partner_session")
    first = len(evidence.items)
    here, family = endpoint.host.name, endpoint.family
    try:
        _converge(endpoint, partner, account, a, b, probes, limit, evidence)
    except CheckError as exc:
        _MEASURED[key] = PairMeasurement(here, family, evidence.items[first:], error=str(exc))
        raise
    except AssertionError as exc:
        _MEASURED[key] = PairMeasurement(here, family, evidence.items[first:], failure=str(exc))
        raise
    _MEASURED[key] = PairMeasurement(here, family, evidence.items[first:])


def _converge(endpoint, partner, account, a, b, probes: int, limit: float, evidence) -> None:
    here, there = endpoint.host.name, partner.name
    deadline = _deadline(limit)
    box = f"dovecheck-repl-{secrets.token_hex(4)}"
    steps: dict[str, str] = {}
    try:
        a.create_folder(box)
        t = wait_until(f"mailbox {box} created on {here}", lambda: b.folder_exists(box), deadline)
        steps[f"new mailbox {here} -> {there}"] = f"{t:.3f} s"
        a.select_folder(box)
        b.select_folder(box)
        forth, back = Latencies(f"{here} -> {there}"), Latencies(f"{there} -> {here}")
        for _ in range(probes):
            forth.seconds.append(_append_and_wait(a, b, box, account[0], forth.direction, deadline))
            back.seconds.append(_append_and_wait(b, a, box, account[0], back.direction, deadline))
        evidence.add(
            f"replication latency ({endpoint.family}; threshold p95 <= {limit:g} s)",
            f"{forth.describe()}\n{back.describe()}",
        )
        uid_a = a.search(["ALL"])[0]
        message_id = a.fetch([uid_a], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])[uid_a]
        header = next(v for k, v in message_id.items() if k.startswith(b"BODY"))
        mid = header.decode().split(":", 1)[1].strip()
        uid_b = _has(b, mid)[0]
        a.add_flags([uid_a], [b"\\Flagged"])
        t = wait_until(f"\\Flagged set on {here}", lambda: _flagged(b, uid_b), deadline)
        steps[f"flag change {here} -> {there}"] = f"{t:.3f} s"
        b.delete_messages([uid_b])
        b.expunge()
        t = wait_until(f"expunge on {there}", lambda: not _has(a, mid), deadline)
        steps[f"expunge {there} -> {here}"] = f"{t:.3f} s"
        a.select_folder("INBOX")
        b.select_folder("INBOX")
        a.delete_folder(box)
        t = wait_until(
            f"mailbox {box} deleted on {here}", lambda: not b.folder_exists(box), deadline
        )
        steps[f"mailbox deletion {here} -> {there}"] = f"{t:.3f} s"
    except NotConverged as exc:
        evidence.add("converged before the failure", steps or "nothing")
        raise AssertionError(str(exc)) from None
    evidence.add("other changes", steps)
    slow = [lat.describe() for lat in (forth, back) if lat.p95 > limit]
    assert not slow, f"replication slower than the inventory's {limit:g} s (p95): {slow}"


def _lab_exec(host: Host, *argv: str) -> None:
    # no pipes: a daemon that forks keeps them open, and run() would wait for it
    proc = subprocess.run(
        lab_hosts.exec_argv(host.name, list(argv)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=30,
        check=False,
    )
    if proc.returncode != 0:
        raise CheckError(f"{host.name}: {' '.join(argv)} exited {proc.returncode}")


def _require_lab_host(request: pytest.FixtureRequest, host: Host) -> None:
    if not request.config.getoption("failover"):
        pytest.skip("failover changes server state: opt in with --failover (lab hosts only)")
    if str(request.config.getoption("inventory")) != str(INVENTORY_FILE):
        pytest.skip(f"failover runs on lab hosts only; {host.name} is not from the lab inventory")
    if lab_hosts.read_pid(host.name) is None:
        pytest.skip(f"failover runs on lab hosts only; {host.name} is not a running lab host")


@pytest.mark.destructive
@pytest.mark.requirement("REPL-CONVERGES")
def test_the_pair_converges_after_a_partner_was_down(
    endpoint, partner, account, partner_session, request, evidence
):
    """Stop Dovecot here, write on the partner, start Dovecot: the mail arrives here."""
    host = endpoint.host
    _require_lab_host(request, host)
    if endpoint.family != "ipv4":
        pytest.skip("failover is measured once per host (over IPv4)")
    limit = host.expect.replication_max_latency
    message_id, message = probe_message(account[0], "dovecheck failover probe")
    _lab_exec(host, "doveadm", "stop")
    try:
        partner_session.append("INBOX", message)
    finally:
        _lab_exec(host, "/usr/sbin/dovecot")
    started = time.monotonic()
    evidence.add(
        "failover", f"Dovecot stopped on {host.name}; appended {message_id} on {partner.name}"
    )
    session = None
    try:
        while session is None:
            with contextlib.suppress(CheckError):
                session = next(_session(endpoint, evidence, account, f"IMAP on {host.name}"))
            if time.monotonic() - started > _deadline(limit):
                raise CheckError(f"{host.name}: no IMAP session after restarting Dovecot")
            time.sleep(0.1) if session is None else None
        session.select_folder("INBOX")
        t = wait_until(f"{message_id} on {host.name}", lambda: _has(session, message_id), 2 * limit)
        total = time.monotonic() - started
        evidence.add("failover convergence", f"{total:.3f} s after the restart (poll {t:.3f} s)")
        assert total <= limit, f"converged {total:.1f} s after the restart; threshold {limit:g} s"
    except NotConverged as exc:
        raise AssertionError(f"after failover: {exc}") from None
    finally:
        partner_session.select_folder("INBOX")
        found = _has(partner_session, message_id)
        if found:
            partner_session.delete_messages(found)
            partner_session.expunge()
        if session is not None:
            session.logout()
