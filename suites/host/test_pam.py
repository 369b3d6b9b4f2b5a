"""1.1.4: PAM authenticates, the passwd userdb maps everyone to vmail, system UIDs stay out."""

from __future__ import annotations

import pytest

from dovecheck.doveconf import fields
from dovecheck.mailconf import effective, mail_users, passdbs, userdbs


@pytest.fixture
def pam_host(facts):
    if facts.host.expect.auth_backend != "pam":
        backend = facts.host.expect.auth_backend
        pytest.skip(f"auth backend of {facts.host.name} is {backend}, not pam (inventory)")
    return facts


@pytest.mark.requirement("PAM-BACKEND")
def test_passdb_is_pam_and_userdb_is_passwd(pam_host, evidence):
    config = pam_host.config
    evidence.add(
        "passdb/userdb",
        "\n".join(s.render() for s in config.find("passdb") + config.find("userdb")),
    )
    assert passdbs(config, "pam"), "no passdb with driver = pam"
    assert userdbs(config, "passwd"), "no userdb with driver = passwd"


@pytest.mark.requirement("PAM-USERDB-OVERRIDE")
def test_passwd_userdb_overrides_uid_gid_and_home(pam_host, evidence):
    expect = pam_host.host.expect
    wanted = {
        "uid": expect.mail_user,
        "gid": expect.mail_user,
        "home": expect.mail_root.rstrip("/") + "/%n/",
    }
    dbs = userdbs(pam_host.config, "passwd")
    assert dbs, "no userdb with driver = passwd"
    got = fields(dbs[0].get("override_fields"))
    evidence.add("userdb passwd override_fields", got)
    assert got == wanted, f"override_fields {got} != {wanted}"


@pytest.mark.requirement("PAM-FIRST-VALID-UID")
def test_first_valid_uid_is_the_expected_lowest_uid(facts, evidence):
    value = effective(facts.config, "first_valid_uid")
    evidence.add("first_valid_uid", value)
    assert value == str(facts.host.expect.first_valid_uid), (
        f"first_valid_uid = {value}, expected {facts.host.expect.first_valid_uid}"
    )


def _mail_uids(facts, evidence) -> dict[str, int]:
    users = mail_users(facts.config)
    if not users:
        pytest.skip("no fixed mail user is configured: UIDs come from each account")
    uids = {}
    for name in users:
        user = facts.ssh.user(name)
        assert user.exists, f"mail user {name} does not exist"
        uids[name] = user.uid
    evidence.add("mail users and their UIDs", uids)
    return uids


@pytest.mark.requirement("PAM-FIRST-VALID-UID")
def test_the_mail_user_uid_is_not_below_first_valid_uid(facts, evidence):
    """With override_fields, Dovecot compares first_valid_uid with the *mail* user's UID
    (vmail's), not the account's: below it, every login is refused."""
    first = int(effective(facts.config, "first_valid_uid"))
    low = {n: u for n, u in _mail_uids(facts, evidence).items() if u < first}
    assert not low, f"mail user UID(s) {low} below first_valid_uid {first}: mail access refused"


@pytest.mark.requirement("PAM-LAST-VALID-UID")
def test_last_valid_uid_if_set_admits_the_mail_user(facts, evidence):
    last = int(effective(facts.config, "last_valid_uid"))
    evidence.add("last_valid_uid", f"{last} (0: no upper bound)")
    if last == 0:
        pytest.skip("last_valid_uid is not set (optional in the guide)")
    high = {n: u for n, u in _mail_uids(facts, evidence).items() if u > last}
    assert not high, f"mail user UID(s) {high} above last_valid_uid {last}: mail access refused"


@pytest.mark.requirement("PAM-USERS-NSS")
def test_the_test_accounts_resolve_through_nss(pam_host, evidence):
    users = {a.user: pam_host.ssh.user(a.user).exists for a in pam_host.host.test_accounts}
    evidence.add("getent passwd for the test accounts", users)
    if not users:
        pytest.skip("the inventory names no test account")
    missing = sorted(u for u, found in users.items() if not found)
    assert not missing, f"not resolvable through NSS: {missing}"
