"""1.1.4: PAM authenticates, the passwd userdb maps everyone to vmail, system UIDs stay out."""

from __future__ import annotations

import pytest

from dovecheck.doveconf import fields
from dovecheck.mailconf import effective, passdbs, userdbs


@pytest.fixture
def pam_host(facts):
    if facts.host.expect.auth_backend != "pam":
        pytest.skip(f"{facts.host.name} authenticates with {facts.host.expect.auth_backend}")
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
