"""1.1.5 verification and 1.9: doveconf shows the configuration, built from dovecot.conf."""

from __future__ import annotations

import re

import pytest

from dovecheck.hostfacts import config_dir, tls_file_settings
from dovecheck.mailconf import passdbs, userdbs

_INCLUDE = re.compile(r"^\s*!include(?:_try)?\s+(?P<what>\S+)", re.M)


@pytest.mark.requirement("SVC-DOVECONF")
def test_doveconf_n_shows_the_configuration_without_errors(facts, evidence):
    cmd = facts.doveconf_n
    evidence.add("doveconf -n", cmd.describe())
    assert cmd.rc == 0, f"doveconf -n exited {cmd.rc}: {cmd.stderr.strip()[:300]}"
    assert "Error" not in cmd.stderr, f"doveconf -n reported errors: {cmd.stderr.strip()[:300]}"


@pytest.mark.requirement("CONF-INCLUDES")
def test_dovecot_conf_includes_conf_d_or_is_a_single_file(facts, evidence):
    main = f"{config_dir(facts)}/dovecot.conf"
    includes = [i.group("what") for i in _INCLUDE.finditer(facts.read(main))]
    evidence.add(f"includes in {main}", "\n".join(includes) or "(none: a single-file setup)")
    if includes:
        assert any(i.startswith("conf.d/") or "/conf.d/" in i for i in includes), (
            f"{main} includes {includes} but not conf.d/*.conf: neither of the guide's layouts"
        )


@pytest.mark.requirement("SVC-PROTOCOLS")
def test_protocols_are_exactly_the_expected_ones(facts, evidence):
    enabled = set(facts.config.protocols)
    expected = set(facts.host.expect.protocols)
    evidence.add("protocols", f"configured {sorted(enabled)}; inventory expects {sorted(expected)}")
    assert enabled == expected, (
        f"protocols: missing {sorted(expected - enabled)}, unexpected {sorted(enabled - expected)}"
    )


BACKENDS = {"pam": ("pam", "passwd"), "ldap": ("ldap", "ldap"), "sql": ("sql", "sql")}


@pytest.mark.requirement("SVC-AUTH-BACKEND")
def test_the_expected_auth_backend_is_configured(facts, evidence):
    backend = facts.host.expect.auth_backend
    passdb, userdb = BACKENDS[backend]
    config = facts.config
    drivers = {
        "passdb": [p.get("driver") for p in passdbs(config)],
        "userdb": [u.get("driver") for u in userdbs(config)],
    }
    evidence.add("passdb and userdb drivers", drivers)
    assert drivers["passdb"] == [passdb] and drivers["userdb"] == [userdb], (
        f"the inventory expects {backend} (passdb {passdb}, userdb {userdb}); configured: {drivers}"
    )


@pytest.mark.requirement("CONF-RUNNING-MATCHES")
def test_dovecot_was_reloaded_after_its_configuration_last_changed(facts, evidence):
    """Every procedure ends with `systemctl reload dovecot`: a file changed after the
    last (re)load means the running server is not what the files say."""
    loaded = facts.config_loaded_at(evidence)
    evidence.add("configuration last loaded", f"{loaded:.2f} (Unix time)")
    changed = facts.files_changed_since(config_dir(facts), loaded, evidence)
    assert not changed, f"changed after the last reload: {changed}"
    tls_files = [v[1:] for v in tls_file_settings(facts, evidence).values() if v.startswith("<")]
    stale = [
        st.describe() for st in (facts.stat(p, evidence) for p in tls_files) if st.mtime > loaded
    ]
    assert not stale, f"TLS files changed after the last reload: {stale}"


@pytest.mark.requirement("SIEVE-PROTOCOL")
def test_sieve_is_in_protocols_where_expected(facts, evidence):
    if "sieve" not in facts.host.expect.protocols:
        pytest.skip(f"sieve is not expected on {facts.host.name}")
    evidence.add("protocols", facts.config.protocols)
    assert "sieve" in facts.config.protocols, "protocols lacks sieve ($protocols sieve)"


@pytest.mark.requirement("SIEVE-IMAP-ENABLED")
def test_imap_serves_the_mailboxes_sieve_files_into(facts, evidence):
    """1.8's prerequisite: Sieve filters file mail into mailboxes that users read over
    IMAP; with sieve served but imap not, filtered mail reaches no client."""
    if "sieve" not in facts.config.protocols and "sieve" not in facts.host.expect.protocols:
        pytest.skip(f"no ManageSieve on {facts.host.name}, so no Sieve prerequisite to check")
    evidence.add("protocols", facts.config.protocols)
    assert "imap" in facts.config.protocols, (
        f"protocols = {' '.join(facts.config.protocols)}: Sieve is served, IMAP is not"
    )
