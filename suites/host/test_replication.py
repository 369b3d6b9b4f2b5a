"""Section 1.4: replication between two servers, as configured (10-replication.conf) and as
the replicator reports it. Hosts without a partner in the inventory skip these, saying so.

doveadm_password is compared as a SHA-256 digest computed on each server; neither the
password nor its digest ever leaves the comparison."""

from __future__ import annotations

import ipaddress
import posixpath
import time

import pytest

from dovecheck import replication as repl
from dovecheck.errors import CheckError
from dovecheck.hostfacts import HostFacts, config_dir
from dovecheck.inventory import Host
from dovecheck.mailconf import effective, passdbs, userdbs
from dovecheck.redact import REDACTOR

LIBEXEC_DIRS = ("/usr/lib/dovecot", "/usr/libexec/dovecot")  # Debian's, RHEL's
PLUGIN = "modules/lib20_replication_plugin.so"


@pytest.mark.requirement("INTRO-REPLICATION")
def test_the_replicator_aggregator_and_replication_plugin_are_installed(facts, evidence):
    script = " ; ".join(
        f"ls -1 {d}/replicator {d}/aggregator {d}/{PLUGIN} 2>/dev/null" for d in LIBEXEC_DIRS
    )
    found = facts.execute(["sh", "-c", script], privileged=False).stdout.split()
    evidence.add(f"{facts.host.name}: replication components", "\n".join(found) or "none")
    names = {posixpath.basename(p) for p in found}
    wanted = {"replicator", "aggregator", posixpath.basename(PLUGIN)}
    assert wanted <= names, f"two-way replication is not available: missing {wanted - names}"


@pytest.mark.requirement("REPL-PLUGINS")
def test_mail_plugins_include_notify_and_replication(facts, partner, evidence):
    found = repl.plugins(facts.config)
    evidence.add("mail_plugins (global and per protocol)", {k: sorted(v) for k, v in found.items()})
    lacking = {where: sorted({"notify", "replication"} - v) for where, v in found.items()}
    lacking = {k: v for k, v in lacking.items() if v}
    assert not lacking, f"mail_plugins lacks {lacking} ($mail_plugins notify replication)"


@pytest.mark.requirement("REPL-REPLICATOR")
def test_the_replicator_keeps_a_process_running(facts, partner, evidence):
    svc = repl.service(facts.config, "replicator")
    evidence.add("service replicator", svc.render() if svc else "(not configured)")
    evidence.add(
        "replication_max_conns (optional; Dovecot's default is 10)",
        effective(facts.config, "replication_max_conns") or "10 (default)",
    )
    minimum = svc.get("process_min_avail", "0") if svc else "0"
    assert minimum.isdigit() and int(minimum) >= 1, (
        f"service replicator has process_min_avail = {minimum}; the guide sets 1"
    )
    running = facts.ssh.process.filter(args="dovecot/replicator")
    evidence.add("replicator processes", "\n".join(f"{p.pid} {p.args}" for p in running) or "none")
    assert running, "no dovecot/replicator process is running"


def _base_dir(facts: HostFacts) -> str:
    return facts.config.get("base_dir", "/run/dovecot").rstrip("/")


def _listener_as_guide_says(facts, evidence, service, kind, name, want: dict[str, str]) -> None:
    __tracebackhide__ = True
    section = repl.listener(facts.config, service, kind, name)
    evidence.add(f"service {service} {kind} {name}", section.render() if section else "(none)")
    assert section is not None, f"service {service} has no {kind} {name}"
    wrong = {k: section.get(k) for k, v in want.items() if section.get(k) != v}
    assert not wrong, f"{kind} {name}: {wrong}; the guide sets {want}"
    st = facts.stat(f"{_base_dir(facts)}/{name}", evidence)
    assert st.owner == want["user"], f"{st.describe()}; the guide wants user {want['user']}"
    if "mode" in want:
        assert st.mode & 0o777 == int(want["mode"], 8), f"{st.describe()}; want {want['mode']}"


@pytest.mark.requirement("REPL-REPLICATOR-SOCKET")
def test_replicator_doveadm_socket_is_0600_and_owned_by_vmail(facts, partner, evidence):
    want = {"mode": "0600", "user": facts.host.expect.mail_user}
    _listener_as_guide_says(
        facts, evidence, "replicator", "unix_listener", "replicator-doveadm", want
    )


@pytest.mark.requirement("REPL-AGGREGATOR")
def test_aggregator_fifo_and_socket_belong_to_vmail(facts, partner, evidence):
    want = {"user": facts.host.expect.mail_user}
    _listener_as_guide_says(
        facts, evidence, "aggregator", "fifo_listener", "replication-notify-fifo", want
    )
    _listener_as_guide_says(
        facts, evidence, "aggregator", "unix_listener", "replication-notify", want
    )


@pytest.mark.requirement("REPL-DOVEADM-PORT")
def test_doveadm_listens_on_the_replication_port(facts, partner, evidence):
    ports = repl.doveadm_ports(facts.config)
    svc = repl.service(facts.config, "doveadm")
    evidence.add("service doveadm", svc.render() if svc else "(not configured)")
    assert repl.DOVEADM_PORT in ports, (
        f"service doveadm has inet_listener ports {sorted(ports)}, not {repl.DOVEADM_PORT}"
    )
    listening = [li for li in facts.listeners if li.port == repl.DOVEADM_PORT]
    evidence.add(f"listening on {repl.DOVEADM_PORT}", listening or "nothing")
    assert any("dovecot" in li.processes for li in listening), (
        f"Dovecot does not listen on {repl.DOVEADM_PORT}"
    )


PASSWORD_DIGEST = ["sh", "-c", "doveconf -h doveadm_password | sha256sum"]


def _password_digest(facts: HostFacts) -> str:
    """SHA-256 of doveadm_password, computed on the host: the password never travels."""
    out = facts.run(PASSWORD_DIGEST).split()
    if not out or len(out[0]) != 64:
        raise CheckError(f"{facts.host.name}: no digest from `{' '.join(PASSWORD_DIGEST)}`")
    REDACTOR.add(out[0])  # not the secret, but nothing a report needs either
    return out[0]


@pytest.mark.requirement("REPL-PASSWORD")
def test_doveadm_password_is_set_and_the_same_on_both_partners(
    facts, partner, partner_facts, evidence
):
    mine, theirs = _password_digest(facts), _password_digest(partner_facts)
    evidence.add(
        "doveadm_password (compared as SHA-256 digests computed on each server)",
        f"set on {facts.host.name}: {mine != repl.UNSET_DIGEST}; "
        f"set on {partner.name}: {theirs != repl.UNSET_DIGEST}; identical: {mine == theirs}",
    )
    assert mine != repl.UNSET_DIGEST, f"doveadm_password is not set on {facts.host.name}"
    assert theirs != repl.UNSET_DIGEST, f"doveadm_password is not set on {partner.name}"
    assert mine == theirs, f"doveadm_password differs between {facts.host.name} and {partner.name}"


def _resolve(facts: HostFacts, name: str, evidence) -> set[str]:
    """Addresses `name` resolves to on the server itself (where the replicator resolves it)."""
    result = facts.execute(["getent", "ahosts", name], privileged=False)
    evidence.add(f"{facts.host.name}: {result.cmd}", result.describe())
    found = set()
    for line in result.stdout.splitlines():
        try:
            found.add(str(ipaddress.ip_address(line.split()[0])))
        except (ValueError, IndexError):
            continue
    return found


def _addresses(host: Host) -> set[str]:
    return set(host.addresses.families().values())


def _replica_problems(facts: HostFacts, other: Host, evidence) -> list[str]:
    """Why facts.host's mail_replica does not name `other`'s doveadm port, if it does not."""
    found = repl.replicas(facts.config)
    evidence.add(f"{facts.host.name}: plugin mail_replica*", found or "(none)")
    if "mail_replica" not in found:
        return [f"{facts.host.name} has no plugin mail_replica"]
    replica = repl.Replica.parse(found["mail_replica"])
    problems = []
    if replica.transport not in ("tcp", "tcps"):
        problems.append(f"mail_replica = {replica.raw}: not the guide's tcp:HOST:PORT")
    elif not _resolve(facts, replica.host, evidence) & _addresses(other):
        problems.append(
            f"mail_replica host {replica.host} does not resolve to {other.name} "
            f"({', '.join(sorted(_addresses(other)))}) on {facts.host.name}"
        )
    if replica.transport in ("tcp", "tcps") and replica.port != repl.DOVEADM_PORT:
        problems.append(f"mail_replica port {replica.port}: the doveadm port is 12345")
    return problems


@pytest.mark.requirement("REPL-MAIL-REPLICA")
def test_mail_replica_points_at_the_partners_doveadm_port(facts, partner, evidence):
    problems = _replica_problems(facts, partner, evidence)
    assert not problems, "; ".join(problems)


@pytest.mark.requirement("REPL-PAIRS-ONLY")
def test_the_host_replicates_with_one_server_that_replicates_back(
    facts, partner, partner_facts, evidence
):
    """A pair, not a chain: one mail_replica here, and the server it names names us back."""
    found = repl.replicas(facts.config)
    assert len(found) == 1, f"{len(found)} replicas configured ({sorted(found)}): pairs only"
    named = repl.Replica.parse(next(iter(found.values()))).host
    theirs = repl.replicas(partner_facts.config).get("mail_replica", "")
    back = repl.Replica.parse(theirs).host if theirs else ""
    evidence.add("pairing", f"{facts.host.name} -> {named}; {partner.name} -> {back or 'nothing'}")
    mine_ok = bool(_resolve(facts, named, evidence) & _addresses(partner))
    back_ok = bool(back) and bool(_resolve(partner_facts, back, evidence) & _addresses(facts.host))
    assert mine_ok and back_ok, (
        f"not a pair: {facts.host.name} replicates to {named}, "
        f"{partner.name} replicates to {back or 'nothing'}"
    )


@pytest.mark.requirement("REPL-BOTH-PARTNERS")
def test_both_partners_carry_the_replication_configuration(facts, partner, partner_facts, evidence):
    problems = []
    for this, other in ((facts, partner), (partner_facts, facts.host)):
        name = this.host.name
        plugins = repl.plugins(this.config)["global"]
        if not {"notify", "replication"} <= plugins:
            problems.append(f"{name}: mail_plugins lacks notify/replication")
        if repl.DOVEADM_PORT not in repl.doveadm_ports(this.config):
            problems.append(f"{name}: no doveadm inet_listener on {repl.DOVEADM_PORT}")
        svc = repl.service(this.config, "replicator")
        if svc is None or svc.get("process_min_avail", "0") in ("", "0"):
            problems.append(f"{name}: service replicator without process_min_avail")
        problems += _replica_problems(this, other, evidence)
    assert not problems, "; ".join(problems)


def _auth_backend(config) -> dict[str, list[dict[str, str]]]:
    return {
        "passdb": [dict(p.settings) for p in passdbs(config)],
        "userdb": [dict(u.settings) for u in userdbs(config)],
    }


@pytest.mark.requirement("REPL-SAME-BACKEND")
def test_both_partners_use_the_same_authentication_backend(facts, partner, partner_facts, evidence):
    mine, theirs = _auth_backend(facts.config), _auth_backend(partner_facts.config)
    evidence.add(f"{facts.host.name}: passdb and userdb", mine)
    evidence.add(f"{partner.name}: passdb and userdb", theirs)
    assert mine == theirs, f"{facts.host.name} and {partner.name} use different backends"


@pytest.mark.requirement("REPL-USER-LISTING")
def test_the_userdb_lists_users(facts, partner, evidence):
    result = facts.execute(["doveadm", "user", "*"])
    evidence.add(
        f"{facts.host.name}: {result.cmd}",
        f"(exit {result.rc}) {len(result.stdout.split())} users listed\n{result.stderr}",
    )
    users = set(result.stdout.split())
    accounts = {a.user for a in facts.host.test_accounts}
    assert result.rc == 0 and users, f"doveadm user '*' lists no users: {result.stderr[:200]}"
    assert accounts <= users, f"the test accounts {sorted(accounts - users)} are not listed"


@pytest.mark.requirement("REPL-VMAIL")
def test_mailboxes_are_accessed_as_the_mail_user(facts, account, evidence):
    mail_user = facts.host.expect.mail_user
    uid = facts.doveadm_user(account[0], "uid", evidence)
    entry = facts.execute(["getent", "passwd", mail_user], privileged=False)
    evidence.add(f"{facts.host.name}: {entry.cmd}", entry.describe())
    assert entry.rc == 0, f"there is no {mail_user} user on {facts.host.name}"
    want = entry.stdout.split(":")[2]
    assert uid in (want, mail_user), (
        f"{account[0]}'s mail is accessed as UID {uid}, not {mail_user}"
    )


@pytest.mark.requirement("REPL-CONF-FILE")
def test_replication_is_configured_in_10_replication_conf(facts, partner, evidence):
    path = f"{config_dir(facts)}/conf.d/10-replication.conf"
    assert facts.stat_if_exists(path, evidence) is not None, f"{path} does not exist"
    # The file is root-only (it holds doveadm_password); doveconf parses it alone and
    # prints its settings with the secret hidden.
    alone = facts.execute(["doveconf", "-n", "-c", path])
    evidence.add(f"{facts.host.name}: {alone.cmd}", alone.describe())
    if alone.rc != 0:
        raise CheckError(f"{facts.host.name}: doveconf cannot read {path}: {alone.stderr[:200]}")
    assert "mail_replica" in alone.stdout and "replication" in alone.stdout, (
        f"{path} does not hold the replication settings (mail_plugins, mail_replica)"
    )


def _replicator(facts: HostFacts, evidence, *user: str) -> str:
    return facts.run(["doveadm", "replicator", "status", *user], evidence)


@pytest.mark.requirement("REPL-STATUS")
def test_replicator_status_shows_no_failed_requests(facts, partner, account, evidence):
    """The counters do not say whose requests failed; the per-user table does. A test
    account's failed sync is left to REPL-USER-STATUS: the harness creates and deletes
    mailboxes there, and a dsync running when one is deleted fails ("Mailbox was deleted
    under us") through no fault of the server."""
    status = repl.parse_status(_replicator(facts, evidence))
    users = repl.parse_user_status(_replicator(facts, evidence, "*"))
    assert status.counters, "doveadm replicator status printed no counters"
    assert account[0] in users, f"the replicator does not know the test user {account[0]}"
    tests = {a.user for a in facts.host.test_accounts}
    failed = sorted(u.user for u in users.values() if u.failed)
    theirs = [u for u in failed if u not in tests]
    assert not theirs, (
        f"{status.failed} failed replication requests; last sync failed for: {', '.join(theirs)}"
    )
    if status.failed:
        evidence.add(
            "failed requests, attributed",
            f"{status.failed} failed request(s); users whose last sync failed: "
            f"{', '.join(failed) or 'none by the time the table was read'} (test accounts "
            "are judged by REPL-USER-STATUS)",
        )


SETTLE = 10.0  # seconds a pending sync of the test user is given to finish


@pytest.mark.requirement("REPL-USER-STATUS")
def test_the_test_users_replicator_status_shows_a_successful_sync(
    facts, partner, account, evidence
):
    """Read once the sync the checks' own changes queued for the user has run (bounded):
    a sync that failed because a check deleted a mailbox under it is followed by the one
    the deletion itself queued, and the status tells about that one. A sync in progress
    shows priority none and the previous sync's outcome, so a failure is read again until
    the bound before it counts."""
    user = account[0]
    deadline = time.monotonic() + SETTLE
    while True:
        text = facts.run(["doveadm", "replicator", "status", user], fresh=True)
        row = repl.parse_user_status(text).get(user)
        settled = row is None or (row.priority == "none" and not row.failed)
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    evidence.add(f"{facts.host.name}: doveadm replicator status {user}", text)
    assert row is not None, f"no replicator status for {user}"
    assert not row.failed, f"{user}: the last sync failed"
    assert row.success_sync != "-", f"{user}: no successful sync yet"
