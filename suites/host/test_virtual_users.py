"""1.1.3: mail lives under one root, owned by vmail alone, a directory per user."""

from __future__ import annotations

import pytest

from dovecheck import credentials
from dovecheck.mailconf import mail_location, mail_users
from dovecheck.versions import require_23_settings

NOLOGIN = ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false")
SYSTEM_USERS = ("dovecot", "dovenull", "root")


@pytest.mark.requirement("VUSER-VMAIL-USER")
def test_the_vmail_user_exists(facts, evidence):
    user = facts.ssh.user(facts.host.expect.mail_user)
    evidence.add("mail user", f"{user.name}: exists={user.exists}")
    assert user.exists, f"user {user.name} does not exist (useradd ... vmail)"


@pytest.mark.requirement("VUSER-VMAIL-NOLOGIN")
def test_vmail_has_the_mail_root_as_home_and_no_login_shell(facts, evidence):
    user = facts.ssh.user(facts.host.expect.mail_user)
    assert user.exists, f"user {user.name} does not exist"
    evidence.add("mail user", f"{user.name}: home {user.home}, shell {user.shell}")
    assert user.shell in NOLOGIN, f"{user.name} has login shell {user.shell}"
    assert user.home.rstrip("/") == facts.host.expect.mail_root.rstrip("/"), (
        f"{user.name}'s home is {user.home}, not {facts.host.expect.mail_root}"
    )


@pytest.mark.requirement("VUSER-NOT-SYSTEM-USER")
def test_mail_is_not_accessed_as_dovecot_dovenull_or_root(facts, evidence):
    users = mail_users(facts.config)
    evidence.add("users mail is accessed as (override_fields uid, mail_uid)", sorted(users))
    if not users:
        pytest.skip("no fixed mail user is configured (see PAM-USERDB-OVERRIDE)")
    bad = sorted(u for u in users if u in SYSTEM_USERS or u == "0")
    assert not bad, f"mail is accessed as system user(s) {bad}"


@pytest.mark.requirement("VUSER-MAILDIR-PERMS")
def test_the_mail_root_is_vmail_owned_with_mode_700(facts, evidence):
    """The inventory's mail root (the guide's /var/mail/); VUSER-MAIL-LOCATION holds
    mail_location to it."""
    st = facts.stat(facts.host.expect.mail_root, evidence)
    user = facts.host.expect.mail_user
    # Only the permission bits grant access: GNU chmod 700 keeps a directory's setgid
    # bit (Debian's /var/mail is 2775), and 2700 still lets vmail alone in.
    assert (st.owner, st.group, st.mode & 0o777) == (user, user, 0o700), (
        f"{st.describe()}; the guide wants {user}:{user} 0700"
    )


@pytest.mark.requirement("VUSER-MAIL-LOCATION")
def test_mail_location_is_sdbox_with_a_directory_per_user(facts, evidence):
    require_23_settings(facts.config, "mail_location")
    loc = mail_location(facts.config)
    evidence.add("mail_location", f"{loc.format}:{loc.path}")
    assert loc.format == "sdbox", f"mailbox format is {loc.format or 'unset'}, not sdbox"
    assert loc.per_user, f"{loc.path} has no per-user component (%n)"
    assert loc.root.rstrip("/") == facts.host.expect.mail_root.rstrip("/"), (
        f"mail root {loc.root} is not {facts.host.expect.mail_root}"
    )


@pytest.mark.requirement("VUSER-PER-USER-DIR")
def test_each_test_account_gets_its_own_mail_directory(facts, evidence):
    accounts = facts.host.test_accounts[:2]
    if len(accounts) < 2:
        pytest.skip("the inventory names fewer than two test accounts")
    for a in accounts:
        credentials.resolve(facts.host, a.password_secret)  # fails early if unset
    homes = {a.user: facts.doveadm_user(a.user, "mail", evidence) for a in accounts}
    assert len(set(homes.values())) == 2, f"test accounts share a mail location: {homes}"
    assert all(u in loc for u, loc in homes.items()), f"a location lacks its user: {homes}"


@pytest.mark.requirement("VUSER-FS-ISOLATION")
def test_a_local_user_cannot_look_into_the_mail_store(facts, evidence):
    """Tried as the audit account itself: a local user with no business in /var/mail/."""
    root = facts.host.expect.mail_root
    probe = facts.execute(["ls", "-A", "--", root], privileged=False)
    evidence.add(f"as {facts.host.ssh.user}: {probe.cmd}", probe.describe())
    if facts.host.ssh.user in ("root", facts.host.expect.mail_user):
        pytest.skip(f"the audit account is {facts.host.ssh.user}: not an outsider's view")
    assert probe.rc != 0 and "Permission denied" in probe.stderr, (
        f"local user {facts.host.ssh.user} can list {root}: {probe.stdout.split()[:5]}"
    )
