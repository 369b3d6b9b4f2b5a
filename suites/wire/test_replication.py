"""1.4 verification: a change in a mailbox on one partner appears on the other.

On a test account only, in a throw-away dovecheck-repl-* mailbox: a new mailbox, K
appended messages each way (the latency of each, p50 and p95 per direction, held against
the inventory's replication_max_latency), a flag change, an expunge, and the mailbox's
deletion all converge (`dovecheck.pair`). Failover (opt-in, lab hosts only, destructive):
Dovecot stopped on one partner, mail written on the other, and the pair converges once it
is back.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator

import pytest

from dovecheck import pair
from dovecheck.convergence import NotConverged, wait_until
from dovecheck.errors import CheckError
from dovecheck.inventory import Host
from dovecheck.lab import hosts as lab_hosts
from dovecheck.lab.inventory_out import INVENTORY_FILE
from dovecheck.message import probe_message
from dovecheck.plugin.options import replication_probes
from dovecheck.services import IMAPS
from dovecheck.targets import Endpoint
from fixtures.wire import _session, require_protocol


@pytest.fixture
def partner_session(endpoint: Endpoint, partner: Host, account, evidence) -> Iterator:
    """The same account on the partner, over the same address family."""
    address = partner.addresses.families().get(endpoint.family)
    if address is None:
        pytest.skip(f"{partner.name} has no {endpoint.family} address in the inventory")
    there = Endpoint(partner, endpoint.family, address)
    title = f"IMAP session transcript on {partner.name} (port 993)"
    acct = pair.side(partner, endpoint.family, account[0])
    yield from _session(there, evidence, (acct.user, acct.password), title)


@pytest.fixture
def probes(request: pytest.FixtureRequest, endpoint: Endpoint) -> int:
    return replication_probes(request.config, endpoint.host)


@pytest.mark.requirement("REPL-CONVERGES")
def test_changes_on_either_partner_reach_the_other(endpoint, partner, account, probes, evidence):
    """Measured once per pair (`dovecheck.pair`), on the pair's quiet account from the pair's
    first check when there is one: every other REPL-CONVERGES check of the pair (the
    partner's, the second address family's) reports the same measurement. It goes both ways,
    and the partners replicate over mail_replica whichever family the auditor's sessions
    use: the family only carries the probes, and IMAP over each family has its own checks."""
    require_protocol(endpoint, IMAPS)
    host, family = endpoint.host, endpoint.family
    if family not in partner.addresses.families():
        pytest.skip(f"{partner.name} has no {family} address in the inventory")
    user = pair.quiet_account(host, partner) or account[0]
    here, there = pair.side(host, family, user), pair.side(partner, family, user)
    limit = host.expect.replication_max_latency
    done = pair.measurement(here, there, family, probes, limit)
    if (done.measured_on, done.family) != (host.name, family):
        evidence.add(
            "measured once per pair",
            f"{host.name} and {partner.name} were measured in both directions from "
            f"{done.measured_on} over {done.family} in this run (the partners replicate over "
            "mail_replica whatever family the auditor's probes use)",
        )
    if user != account[0]:
        evidence.add(
            "account",
            f"measured on {user}, the pair's second test account, which no other check "
            "changes (so the measurement can run while they do)",
        )
    for title, text in done.evidence:
        evidence.add(title, text)
    if done.error is not None:
        raise CheckError(done.error)
    if done.failure is not None:
        raise AssertionError(done.failure)


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
def test_the_pair_converges_after_a_partner_was_down(endpoint, partner, account, request, evidence):
    """Stop Dovecot here, write on the partner, start Dovecot: the mail arrives here."""
    host = endpoint.host
    _require_lab_host(request, host)
    if endpoint.family != "ipv4":
        pytest.skip("failover is measured once per host (over IPv4)")
    partner_session = request.getfixturevalue("partner_session")  # not logged in to skip
    limit = host.expect.replication_max_latency
    pair.wait_for_measurements(host.name)  # stopping Dovecot would break one in progress
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
            if time.monotonic() - started > pair.deadline(limit):
                raise CheckError(f"{host.name}: no IMAP session after restarting Dovecot")
            time.sleep(0.1) if session is None else None
        session.select_folder("INBOX")
        arrived = lambda: pair.has_message(session, message_id)  # noqa: E731
        t = wait_until(f"{message_id} on {host.name}", arrived, 2 * limit)
        total = time.monotonic() - started
        evidence.add("failover convergence", f"{total:.3f} s after the restart (poll {t:.3f} s)")
        assert total <= limit, f"converged {total:.1f} s after the restart; threshold {limit:g} s"
    except NotConverged as exc:
        raise AssertionError(f"after failover: {exc}") from None
    finally:
        partner_session.select_folder("INBOX")
        found = pair.has_message(partner_session, message_id)
        if found:
            partner_session.delete_messages(found)
            partner_session.expunge()
        if session is not None:
            session.logout()
