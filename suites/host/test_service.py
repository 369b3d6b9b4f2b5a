"""1.1.1 and 1.1.5: the package is installed, and the service enabled and running."""

from __future__ import annotations

import pytest

PACKAGES = ("dovecot", "dovecot-core")  # RHEL's name, Debian's name


@pytest.mark.requirement("INSTALL-PACKAGE")
def test_the_dovecot_package_is_installed(facts, evidence):
    found = {p: facts.ssh.package(p).is_installed for p in PACKAGES}
    evidence.add("packages", found)
    assert any(found.values()), f"none of {PACKAGES} is installed"


@pytest.mark.requirement("SVC-ENABLED-RUNNING")
def test_the_dovecot_service_is_enabled(facts, evidence):
    if not facts.is_systemd():
        pytest.skip(
            f"no systemd on {facts.host.name}: 'enabled' does not apply "
            "(the running process is checked)"
        )
    service = facts.ssh.service("dovecot")
    evidence.add("systemctl", f"enabled={service.is_enabled} running={service.is_running}")
    assert service.is_enabled, "dovecot.service is not enabled (systemctl enable --now dovecot)"


@pytest.mark.requirement("SVC-ENABLED-RUNNING")
def test_the_dovecot_master_process_is_running(facts, evidence):
    masters = facts.ssh.process.filter(comm="dovecot")
    evidence.add("dovecot processes", "\n".join(f"{p.pid} {p.args}" for p in masters) or "none")
    assert masters, "no dovecot master process is running"


SIEVE_PACKAGES = ("dovecot-pigeonhole", "dovecot-managesieved")  # RHEL's, Debian's


@pytest.mark.requirement("SIEVE-PACKAGE")
def test_the_managesieve_package_is_installed(facts, evidence):
    if "sieve" not in facts.host.expect.protocols:
        pytest.skip(f"sieve is not expected on {facts.host.name}")
    found = {p: facts.ssh.package(p).is_installed for p in SIEVE_PACKAGES}
    evidence.add("packages", found)
    assert any(found.values()), f"none of {SIEVE_PACKAGES} is installed"
