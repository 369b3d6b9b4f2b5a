"""Which account a pair's convergence is measured on, and that it is measured once a run."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from dovecheck import pair
from dovecheck.inventory import Host


def _host(name: str, partner: str, *users: str) -> Host:
    return Host.model_validate(
        {
            "name": name,
            "fqdn": f"{name}.example.com",
            "addresses": {"ipv4": "198.51.100.11"},
            "ssh": {"user": "audit", "key": "k", "known_hosts": "kh"},
            "ca_file": "ca.crt",
            "test_accounts": [{"user": u, "password_secret": f"S_{u}"} for u in users],
            "expect": {"replication_partner": partner},
        }
    )


def test_the_quiet_account_is_a_second_account_both_partners_list():
    assert pair.quiet_account(_host("a", "b", "t1", "t2"), _host("b", "a", "t1", "t2")) == "t2"


@pytest.mark.parametrize(
    "mine, theirs",
    [(("t1",), ("t1", "t2")), (("t1", "t2"), ("t1",)), (("t1", "t2"), ("t1", "t3"))],
)
def test_without_a_shared_second_account_there_is_no_quiet_one(mine, theirs):
    assert pair.quiet_account(_host("a", "b", *mine), _host("b", "a", *theirs)) is None


def _side(name: str) -> pair.Side:
    return pair.Side(name, "198.51.100.11", f"{name}.example.com", 5, Path("ca"), "t2", "pw")


@pytest.fixture
def counted(monkeypatch):
    """_measure replaced by a counter; `gate` holds it until released."""
    calls: list[str] = []
    gate = threading.Event()
    logged_in = {"value": True}

    def fake(here, there, family, probes, limit):
        calls.append(f"{here.name}/{family}")
        gate.wait(5)
        return pair.PairMeasurement(here.name, family, here.user, logged_in=logged_in["value"])

    monkeypatch.setattr(pair, "_measure", fake)
    monkeypatch.setattr(pair, "_measured", {})
    return calls, gate, logged_in


def test_either_partner_and_either_family_get_the_one_measurement(counted):
    calls, gate, _ = counted
    gate.set()
    first = pair.measurement(_side("a"), _side("b"), "ipv4", 2, 10)
    again = pair.measurement(_side("b"), _side("a"), "ipv6", 2, 10)
    assert again is first and calls == ["a/ipv4"]


def test_a_check_waits_for_the_measurement_the_warm_up_started(counted):
    calls, gate, _ = counted
    background = threading.Thread(
        target=pair.measurement, args=(_side("a"), _side("b"), "ipv4", 2, 10)
    )
    background.start()
    while not calls:
        time.sleep(0.01)
    waiter = threading.Thread(target=pair.wait_for_measurements, args=("b",))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive(), "returned while the measurement was still running"
    gate.set()
    waiter.join(5)
    background.join(5)
    assert pair.measurement(_side("b"), _side("a"), "ipv4", 2, 10).measured_on == "a"
    assert calls == ["a/ipv4"]


def test_a_measurement_that_could_not_log_in_is_made_again(counted):
    calls, gate, logged_in = counted
    gate.set()
    logged_in["value"] = False
    pair.measurement(_side("a"), _side("b"), "ipv6", 2, 10)
    logged_in["value"] = True
    pair.measurement(_side("a"), _side("b"), "ipv4", 2, 10)
    assert calls == ["a/ipv6", "a/ipv4"]
