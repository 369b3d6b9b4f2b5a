"""1.3.4: Dovecot authenticates against MariaDB, over verified TLS, with the guide's queries.

dovecot-sql.conf.ext is read through sudo and parsed (the connect string's password masked).
The database is then asked, as Dovecot's own user and from the Dovecot host, over TLS that
verified against the CA and the connect string's host name, what the guide's prerequisites say.
"""

from __future__ import annotations

import re

import pytest

from dovecheck.backends import connect_fields, fill, hash_scheme, query, sql_connect, sql_target
from dovecheck.doveconf import fields
from dovecheck.mailconf import passdbs, userdbs

from .test_ldap import auth_includes, drivers

GUIDE_CA = "/etc/pki/tls/certs/ca.crt"


def _accounts(facts) -> list[str]:
    users = [a.user for a in facts.host.test_accounts]
    if not users:
        pytest.skip(f"no test account for {facts.host.name} in the inventory")
    return users


@pytest.mark.requirement("SQL-PACKAGE")
def test_the_dovecot_mysql_package_is_installed(sql_facts, evidence):
    installed = sql_facts.ssh.package("dovecot-mysql").is_installed
    evidence.add("dovecot-mysql installed", installed)
    assert installed, "dovecot-mysql is not installed"


@pytest.mark.requirement("SQL-UNUSED-BACKENDS")
def test_no_other_auth_backend_is_included_beside_sql(sql_facts, evidence):
    includes = auth_includes(sql_facts, evidence)
    used = drivers(sql_facts.config)
    evidence.add("passdb and userdb drivers", used)
    extra = [i for i in includes if i != "auth-sql.conf.ext"]
    assert not extra, f"10-auth.conf still includes {extra} beside auth-sql.conf.ext"
    other = {k: [d for d in v if d != "sql"] for k, v in used.items()}
    assert not any(other.values()), f"backends other than sql are configured: {other}"


@pytest.mark.requirement("SQL-AUTH-INCLUDE")
def test_auth_sql_conf_ext_is_included(sql_facts, evidence):
    assert "auth-sql.conf.ext" in auth_includes(sql_facts, evidence), (
        "!include auth-sql.conf.ext is not active in 10-auth.conf"
    )
    used = drivers(sql_facts.config)
    assert "sql" in used["passdb"] and "sql" in used["userdb"], (
        f"no passdb and userdb with driver = sql in the effective configuration: {used}"
    )


@pytest.mark.requirement("SQL-USERDB-OVERRIDE")
def test_sql_userdb_overrides_uid_gid_and_home(sql_facts, evidence):
    expect = sql_facts.host.expect
    wanted = {
        "uid": expect.mail_user,
        "gid": expect.mail_user,
        "home": expect.mail_root.rstrip("/") + "/%n/",
    }
    dbs = userdbs(sql_facts.config, "sql")
    assert dbs, "no userdb with driver = sql"
    got = fields(dbs[0].get("override_fields"))
    evidence.add("userdb sql override_fields", got)
    assert got == wanted, f"override_fields {got} != {wanted}"


@pytest.mark.requirement("SQL-CONF-FILE")
def test_dovecot_sql_conf_ext_is_the_args_of_passdb_and_userdb(sql_facts, sql_conf, evidence):
    config = sql_facts.config
    args = {
        "passdb": [p.get("args") for p in passdbs(config, "sql")],
        "userdb": [u.get("args") for u in userdbs(config, "sql")],
    }
    evidence.add("args of the sql passdb and userdb", args)
    for kind, values in args.items():
        assert values == [sql_conf.path], f"{kind} sql args {values}, not {sql_conf.path}"
    assert not sql_conf.problems, f"{sql_conf.path}: {sql_conf.problems}"


@pytest.mark.requirement("SQL-CONF-PERMS")
def test_dovecot_sql_conf_ext_is_root_600(sql_facts, sql_conf, evidence):
    """The file holds the database password in its connect string."""
    st = sql_facts.stat(sql_conf.path, evidence)
    assert st.is_root_only(), st.root_only_finding()


@pytest.mark.requirement("SQL-DRIVER")
def test_the_sql_driver_is_mysql(sql_conf, evidence):
    evidence.add("driver", sql_conf.get("driver", "(not set)"))
    assert sql_conf.get("driver") == "mysql", f"driver = {sql_conf.get('driver')}, not mysql"


@pytest.mark.requirement("SQL-CONNECT-TLS")
def test_connect_carries_ssl_ca(sql_conf, evidence):
    f = connect_fields(sql_conf.get("connect"))
    evidence.add("connect ssl_ca", f.get("ssl_ca", "(not set)"))
    assert f.get("ssl_ca"), "connect has no ssl_ca: Dovecot talks to MariaDB without TLS"


@pytest.mark.requirement("SQL-CA-FILE")
def test_the_ca_file_is_at_the_guides_path_and_issued_the_db_certificate(
    sql_facts, sql_conf, evidence
):
    path = connect_fields(sql_conf.get("connect")).get("ssl_ca") or GUIDE_CA
    evidence.add("CA file", path)
    assert path == GUIDE_CA, f"ssl_ca = {path}, the guide stores the CA in {GUIDE_CA}"
    pem = sql_facts.read(path)
    h = sql_facts.host
    # the chain only: whether the certificate names the host is SQL-CERT-HOSTNAME's question
    sql_connect(sql_facts.ssh.backend, sql_target(sql_conf), pem, h.timeout, False).close()


@pytest.mark.requirement("SQL-PASS-SCHEME")
def test_default_pass_scheme_is_sha512_crypt_or_hashes_carry_a_scheme(
    sql_conf, sql_session, evidence
):
    scheme = sql_conf.get("default_pass_scheme", "(not set; Dovecot's default is MD5-CRYPT)")
    evidence.add("default_pass_scheme", scheme)
    rows = query(sql_session, "SELECT LEFT(password, 40) FROM users")
    seen = [hash_scheme(r[0] or "") for r in rows]
    evidence.add("stored password formats (values never shown)", sorted({s[1] for s in seen}))
    unprefixed = {s[1] for s in seen if s[0] is None}
    if not unprefixed:
        return  # every value names its scheme: default_pass_scheme may be omitted
    assert scheme.upper() == "SHA512-CRYPT", (
        f"default_pass_scheme = {scheme}, and {len([s for s in seen if s[0] is None])} "
        "password(s) have no {scheme} prefix"
    )
    wrong = unprefixed - {"SHA512-CRYPT"}
    assert not wrong, f"stored passwords are {sorted(wrong)}, not SHA512-CRYPT"


@pytest.mark.requirement("SQL-PASS-SUPPORTED")
def test_stored_passwords_use_a_scheme_dovecot_supports(sql_facts, sql_session, evidence):
    # -O: the schemes are the binary's, not the configuration's; without it doveadm first
    # runs doveconf, which a non-root account cannot do once 1.4's 10-replication.conf
    # (root:root 600) is included
    listed = sql_facts.run(["doveadm", "-O", "pw", "-l"], evidence, privileged=False)
    supported = set(listed.split())
    rows = query(sql_session, "SELECT LEFT(password, 40) FROM users")
    seen = {hash_scheme(r[0] or "")[1] for r in rows}
    evidence.add("stored password formats (values never shown)", sorted(seen))
    bad = sorted(s for s in seen if s not in supported)
    assert not bad, f"schemes Dovecot does not support: {bad} (doveadm pw -l: {sorted(supported)})"


@pytest.mark.requirement("SQL-SERVER-TLS")
def test_the_db_connection_is_tls(sql_facts, sql_conf, evidence):
    """Encrypted at all, with the inventory's CA; the name is SQL-CERT-HOSTNAME's question."""
    h, target = sql_facts.host, sql_target(sql_conf)
    conn = sql_connect(sql_facts.ssh.backend, target, h.ca_file.read_text(), h.timeout, False)
    try:
        rows = query(conn, "SHOW STATUS LIKE 'Ssl_%'")
    finally:
        conn.close()
    status = {k: v for k, v in rows if k in ("Ssl_cipher", "Ssl_version")}
    evidence.add("SHOW STATUS LIKE 'Ssl_%'", status)
    assert status.get("Ssl_cipher"), "the session is not encrypted (Ssl_cipher empty)"


@pytest.mark.requirement("SQL-CERT-HOSTNAME")
def test_the_db_certificate_names_the_host_in_connect(sql_facts, sql_conf, evidence):
    """A session verifies the certificate against connect's host= (check_hostname), with the
    inventory's CA: a name the certificate does not carry fails here."""
    evidence.add("host in connect", connect_fields(sql_conf.get("connect")).get("host"))
    h, target = sql_facts.host, sql_target(sql_conf)
    sql_connect(sql_facts.ssh.backend, target, h.ca_file.read_text(), h.timeout).close()


@pytest.mark.requirement("SQL-DB-SCHEMA")
def test_dovecotdb_has_a_users_table_with_username_and_password(sql_conf, sql_session, evidence):
    db = connect_fields(sql_conf.get("connect")).get("dbname", "")
    cols = [r[0] for r in query(sql_session, "SHOW COLUMNS FROM users")]
    evidence.add(f"columns of {db}.users", cols)
    assert db == "dovecotDB", f"dbname = {db}, not dovecotDB"
    missing = {"username", "password"} - set(cols)
    assert not missing, f"users lacks {sorted(missing)}"


@pytest.mark.requirement("SQL-DB-GRANTS")
def test_the_dovecot_user_reads_users_and_no_more(sql_session, evidence):
    grants = [r[0] for r in query(sql_session, "SHOW GRANTS")]
    evidence.add("SHOW GRANTS", "\n".join(grants))
    reads = [g for g in grants if re.search(r"GRANT .*SELECT.* ON [`'\"]?dovecotDB", g, re.I)]
    assert reads or any("ALL PRIVILEGES" in g for g in grants), "no SELECT on dovecotDB.users"
    writes = [
        g
        for g in grants
        if re.search(r"\b(ALL PRIVILEGES|INSERT|UPDATE|DELETE|DROP|ALTER|CREATE)\b", g)
    ]
    assert not writes, f"more than read permission: {writes}"


def _query_rows(sql_session, sql_conf, key: str, user: str) -> tuple[list[str], list[tuple]]:
    sql = sql_conf.get(key)
    if not sql:
        pytest.fail(f"{key} is not set")
    with sql_session.cursor() as cur:
        cur.execute(fill(sql, user).rstrip(";"))
        names = [d[0] for d in cur.description or []]
        return names, list(cur.fetchall())


@pytest.mark.requirement("SQL-USER-QUERY")
def test_user_query_returns_the_username_once(sql_facts, sql_conf, sql_session, evidence):
    out = {}
    for user in _accounts(sql_facts):
        names, rows = _query_rows(sql_session, sql_conf, "user_query", user)
        out[user] = {"columns": names, "rows": len(rows)}
        assert len(rows) == 1, f"user_query returns {len(rows)} rows for {user}, not one"
    evidence.add("user_query per test account", out)


@pytest.mark.requirement("SQL-PASSWORD-QUERY")
def test_password_query_returns_user_and_password(sql_facts, sql_conf, sql_session, evidence):
    out = {}
    for user in _accounts(sql_facts):
        names, rows = _query_rows(sql_session, sql_conf, "password_query", user)
        out[user] = {"columns": names, "rows": len(rows)}
        evidence.add("password_query per test account (values never shown)", out)
        assert {"user", "password"} <= set(names), f"password_query returns columns {names}"
        assert len(rows) == 1, f"password_query returns {len(rows)} rows for {user}"
        got = dict(zip(names, rows[0], strict=False))
        assert got["user"] == user, f"password_query's user is {got['user']!r}, not {user!r}"
        assert got["password"], f"password_query returns no password for {user}"


@pytest.mark.requirement("SQL-ITERATE-QUERY")
def test_iterate_query_lists_every_user(sql_facts, sql_conf, sql_session, evidence):
    everyone = {r[0] for r in query(sql_session, "SELECT username FROM users")}
    listed = set(sql_facts.run(["doveadm", "user", "*"], evidence).split())
    evidence.add(
        "users in the table / listed by doveadm user '*'", f"{len(everyone)} / {len(listed)}"
    )
    missing = sorted(everyone - listed)
    assert not missing, f"doveadm user '*' (iterate_query) misses {missing[:10]}"
