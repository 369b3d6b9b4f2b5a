"""1.2.4: Dovecot authenticates against LDAP, over verified TLS, with the guide's settings.

The settings live in dovecot-ldap.conf.ext, which `doveconf -n` does not show: it is read
through sudo and parsed (dnpass masked). The directory is then asked, over TLS from the
Dovecot host, what Dovecot would ask it: whether the search account binds, whether it finds
each test account exactly once, whether the server's certificate names the host in uris.
"""

from __future__ import annotations

import re

import pytest

from dovecheck.backends import fill, ldap_uris
from dovecheck.doveconf import fields
from dovecheck.errors import CheckError, Finding
from dovecheck.hostfacts import config_dir
from dovecheck.mailconf import passdbs, userdbs

_INCLUDE = re.compile(r"^\s*!include(?:_try)?\s+(?P<what>\S*auth-[\w-]+\.conf\.ext)", re.M)
# CA bundles libldap falls back to when neither tls_ca_cert_file nor ldap.conf names one
SYSTEM_BUNDLES = ("/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt")
LDAP_CONFS = ("/etc/openldap/ldap.conf", "/etc/ldap/ldap.conf")


def auth_includes(facts, evidence) -> list[str]:
    path = f"{config_dir(facts)}/conf.d/10-auth.conf"
    found = [m.group("what").rsplit("/", 1)[-1] for m in _INCLUDE.finditer(facts.read(path))]
    evidence.add(f"active auth-*.conf.ext includes in {path}", "\n".join(found) or "(none)")
    return found


def drivers(config) -> dict[str, list[str]]:
    return {
        "passdb": [p.get("driver") for p in passdbs(config)],
        "userdb": [u.get("driver") for u in userdbs(config)],
    }


@pytest.mark.requirement("LDAP-UNUSED-BACKENDS")
def test_no_other_auth_backend_is_included_beside_ldap(ldap_facts, evidence):
    includes = auth_includes(ldap_facts, evidence)
    used = drivers(ldap_facts.config)
    evidence.add("passdb and userdb drivers", used)
    extra = [i for i in includes if i != "auth-ldap.conf.ext"]
    assert not extra, f"10-auth.conf still includes {extra} beside auth-ldap.conf.ext"
    other = {k: [d for d in v if d != "ldap"] for k, v in used.items()}
    assert not any(other.values()), f"backends other than ldap are configured: {other}"


@pytest.mark.requirement("LDAP-AUTH-INCLUDE")
def test_auth_ldap_conf_ext_is_included(ldap_facts, evidence):
    assert "auth-ldap.conf.ext" in auth_includes(ldap_facts, evidence), (
        "!include auth-ldap.conf.ext is not active in 10-auth.conf"
    )
    used = drivers(ldap_facts.config)
    assert "ldap" in used["passdb"] and "ldap" in used["userdb"], (
        f"no passdb and userdb with driver = ldap in the effective configuration: {used}"
    )


@pytest.mark.requirement("LDAP-USERDB-OVERRIDE")
def test_ldap_userdb_overrides_uid_gid_and_home(ldap_facts, evidence):
    expect = ldap_facts.host.expect
    wanted = {
        "uid": expect.mail_user,
        "gid": expect.mail_user,
        "home": expect.mail_root.rstrip("/") + "/%n/",
    }
    dbs = userdbs(ldap_facts.config, "ldap")
    assert dbs, "no userdb with driver = ldap"
    got = fields(dbs[0].get("override_fields"))
    evidence.add("userdb ldap override_fields", got)
    assert got == wanted, f"override_fields {got} != {wanted}"


@pytest.mark.requirement("LDAP-CONF-FILE")
def test_dovecot_ldap_conf_ext_is_the_args_of_passdb_and_userdb(ldap_facts, ldap_conf, evidence):
    config = ldap_facts.config
    args = {
        "passdb": [p.get("args") for p in passdbs(config, "ldap")],
        "userdb": [u.get("args") for u in userdbs(config, "ldap")],
    }
    evidence.add("args of the ldap passdb and userdb", args)
    for kind, values in args.items():
        assert values == [ldap_conf.path], f"{kind} ldap args {values}, not {ldap_conf.path}"
    assert not ldap_conf.problems, f"{ldap_conf.path}: {ldap_conf.problems}"


def dn_mode(conf) -> str:
    if conf.get("auth_bind_userdn"):
        return "template"
    if conf.get("dn") and conf.get("dnpass") and conf.get("pass_filter"):
        return "lookup"
    return ""


@pytest.mark.requirement("LDAP-DN-MODE")
def test_a_dn_mode_is_configured(ldap_conf, evidence):
    mode = dn_mode(ldap_conf)
    evidence.add("DN mode", mode or "none")
    assert mode, (
        "neither dn, dnpass and pass_filter (dynamic DN lookup) nor auth_bind_userdn "
        "(DN template) is set"
    )


def _accounts(facts) -> list[str]:
    users = [a.user for a in facts.host.test_accounts]
    if not users:
        pytest.skip(f"no test account for {facts.host.name} in the inventory")
    return users


def _search_session(ldap_session, conf):
    """A session bound as Dovecot's search account (dn/dnpass), or anonymous without one."""
    session = ldap_session()
    if conf.get("dn"):
        try:
            session.bind(conf.get("dn"), conf.get("dnpass"))
        except Finding as exc:  # LDAP-SEARCH-ACCOUNT's finding; here nothing to search with
            raise CheckError(f"no search session to test with: {exc}") from exc
    return session


@pytest.mark.requirement("LDAP-DN-MODE")
def test_the_dn_mode_finds_each_test_account(ldap_facts, ldap_conf, ldap_session, evidence):
    """The DN Dovecot binds as for a user must be that user's entry: a template that builds
    a wrong DN, or a filter that matches nothing, refuses every login."""
    mode = dn_mode(ldap_conf)
    if not mode:
        pytest.fail("no DN mode is configured")
    session = _search_session(ldap_session, ldap_conf)
    found = {}
    for user in _accounts(ldap_facts):
        if mode == "template":
            dn = fill(ldap_conf.get("auth_bind_userdn"), user)
            found[user] = [d for d, _ in session.search(dn, "base", "(objectClass=*)", ["uid"])]
        else:
            flt = fill(ldap_conf.get("pass_filter"), user)
            base, scope = ldap_conf.get("base"), ldap_conf.get("scope", "subtree")
            found[user] = [d for d, _ in session.search(base, scope, flt, ["uid"]) if d]
    evidence.add(f"user DNs ({mode})", found)
    missing = sorted(u for u, dns in found.items() if not dns)
    assert not missing, f"the {mode} DN mode finds no entry for {missing}"


@pytest.mark.requirement("LDAP-FILTER-UNIQUE")
def test_pass_filter_returns_one_entry_per_user(ldap_facts, ldap_conf, ldap_session, evidence):
    if dn_mode(ldap_conf) != "lookup":
        pytest.skip("no dynamic DN lookup (pass_filter): the DN comes from a template")
    session = _search_session(ldap_session, ldap_conf)
    base, scope = ldap_conf.get("base"), ldap_conf.get("scope", "subtree")
    counts = {}
    for user in _accounts(ldap_facts):
        flt = fill(ldap_conf.get("pass_filter"), user)
        counts[user] = [d for d, _ in session.search(base, scope, flt, ["uid"]) if d]
    evidence.add("entries pass_filter returns per test account", counts)
    bad = {u: len(dns) for u, dns in counts.items() if len(dns) != 1}
    assert not bad, f"pass_filter must return exactly one entry; got {bad}"


@pytest.mark.requirement("LDAP-AUTH-BIND")
def test_auth_bind_is_yes(ldap_conf, evidence):
    value = ldap_conf.get("auth_bind", "no (default)")
    evidence.add("auth_bind", value)
    assert value.lower() == "yes", f"auth_bind = {value}: Dovecot does not bind as the user"


@pytest.mark.requirement("LDAP-URIS-TLS")
def test_uris_use_ldaps_or_starttls(ldap_conf, evidence):
    uris = ldap_uris(ldap_conf)
    tls = ldap_conf.get("tls", "no").lower() == "yes"
    evidence.add(
        "uris and tls", f"uris {[u.url for u in uris]}; tls = {ldap_conf.get('tls', 'no')}"
    )
    assert uris, "no uris (nor hosts) set"
    plain = [u.url for u in uris if u.scheme != "ldaps" and not tls]
    assert not plain, f"cleartext LDAP: {plain} without tls = yes"


@pytest.mark.requirement("LDAP-TLS-REQUIRE-CERT")
def test_tls_require_cert_is_hard(ldap_conf, evidence):
    """OpenLDAP takes `demand` and `hard` as one level (ldap.conf(5), TLS_REQCERT): the
    server's certificate must validate or the connection ends. Both are what the guide asks."""
    value = ldap_conf.get("tls_require_cert", "(not set)")
    evidence.add("tls_require_cert", value)
    assert value.lower() in ("hard", "demand"), f"tls_require_cert = {value}, not hard"


@pytest.mark.requirement("LDAP-BASE")
def test_base_is_set(ldap_conf, evidence):
    evidence.add("base", ldap_conf.get("base", "(not set)"))
    assert ldap_conf.get("base"), "base is not set"


@pytest.mark.requirement("LDAP-BASE")
def test_the_test_accounts_are_found_under_base(ldap_facts, evidence):
    """doveadm user '*' iterates the directory below base: the accounts must be there."""
    listed = ldap_facts.run(["doveadm", "user", "*"], evidence).split()
    missing = sorted(set(_accounts(ldap_facts)) - set(listed))
    assert not missing, f"doveadm user '*' does not list {missing}: not found below base"


@pytest.mark.requirement("LDAP-SCOPE")
def test_scope_is_set(ldap_conf, evidence):
    value = ldap_conf.get("scope", "(not set; Dovecot's default is subtree)")
    evidence.add("scope", value)
    assert value in ("onelevel", "subtree"), f"scope = {value}: set onelevel or subtree"


@pytest.mark.requirement("LDAP-CONF-PERMS")
def test_dovecot_ldap_conf_ext_is_root_600(ldap_facts, ldap_conf, evidence):
    st = ldap_facts.stat(ldap_conf.path, evidence)
    assert st.is_root_only(), st.root_only_finding()


@pytest.mark.requirement("LDAP-SEARCH-ACCOUNT")
def test_the_search_account_binds(ldap_conf, ldap_session, evidence):
    if not ldap_conf.get("dn"):
        pytest.skip("no dn set: users are found by the auth_bind_userdn template")
    session = ldap_session()
    session.bind(ldap_conf.get("dn"), ldap_conf.get("dnpass"))
    evidence.add("bind", f"{ldap_conf.get('dn')}: bound")


@pytest.mark.requirement("LDAP-SEARCH-PERMS")
def test_the_search_account_finds_other_users(ldap_facts, ldap_conf, ldap_session, evidence):
    if not ldap_conf.get("dn"):
        pytest.skip("no dn set: users are found by the auth_bind_userdn template")
    session = _search_session(ldap_session, ldap_conf)
    flt = ldap_conf.get("user_filter") or ldap_conf.get("pass_filter") or "(uid=%n)"
    base, scope = ldap_conf.get("base"), ldap_conf.get("scope", "subtree")
    found = {
        u: bool(session.search(base, scope, fill(flt, u), ["uid"])) for u in _accounts(ldap_facts)
    }
    evidence.add(f"found by {ldap_conf.get('dn')} with {flt}", found)
    missing = sorted(u for u, ok in found.items() if not ok)
    assert not missing, f"the search account cannot find {missing}"


@pytest.mark.requirement("LDAP-SERVER-TLS")
def test_the_ldap_server_speaks_tls(ldap_session, evidence):
    """TLS at all (ldaps://, or STARTTLS on ldap://); whom it proves to be is judged by
    LDAP-CERT-HOSTNAME and LDAP-CA-TRUSTED."""
    session = ldap_session(verify=False, judged=True)
    assert session.tls.get("version"), f"{session.where}: no TLS"


@pytest.mark.requirement("LDAP-CERT-HOSTNAME")
def test_the_ldap_certificate_names_the_host_in_uris(ldap_conf, ldap_session, evidence):
    """Each server in uris: the certificate verifies for exactly the name Dovecot uses."""
    for uri in ldap_uris(ldap_conf):
        session = ldap_session(uri=uri, judged=True)
        assert session.tls.get("version"), f"{session.where}: no TLS"


def _trusted_ca(facts, conf, evidence) -> tuple[str, str]:
    """The CA file Dovecot's libldap verifies with: tls_ca_cert_file, else ldap.conf's
    TLS_CACERT, else the system bundle."""
    if conf.get("tls_ca_cert_file"):
        path = conf.get("tls_ca_cert_file")
    else:
        path = ""
        for lc in LDAP_CONFS:
            r = facts.execute(["cat", "--", lc], privileged=False)
            m = re.search(r"^\s*TLS_CACERT\s+(\S+)", r.stdout, re.M) if r.rc == 0 else None
            if m:
                path = m.group(1)
                break
        if not path:
            for bundle in SYSTEM_BUNDLES:
                if facts.execute(["test", "-r", bundle], privileged=False).rc == 0:
                    path = bundle
                    break
    if not path:
        pytest.fail("no CA file for LDAP: neither tls_ca_cert_file, TLS_CACERT nor a bundle")
    evidence.add("CA file Dovecot's LDAP client trusts", path)
    return path, facts.read(path)


@pytest.mark.requirement("LDAP-CA-TRUSTED")
def test_the_dovecot_host_trusts_the_ldap_servers_ca(ldap_facts, ldap_conf, ldap_session, evidence):
    path, pem = _trusted_ca(ldap_facts, ldap_conf, evidence)
    # the chain only: whether the certificate names the host is LDAP-CERT-HOSTNAME's question
    session = ldap_session(ca_pem=pem, check_hostname=False, judged=True)
    assert session.tls.get("version"), f"{session.where}: no TLS with {path}"
