"""Self-test plugin for the audit run: the endpoint checks of the hosts named in
DOVECHECK_SELFTEST_IPV4_ONLY are run over IPv4 only (tests/lab/scenarios.py says why).

The IPv6 items are deselected at collection, identically in every xdist worker, so they
are neither run nor reported; the requirement's row is judged on its IPv4 checks."""

from __future__ import annotations

import os

import pytest

ENV = "DOVECHECK_SELFTEST_IPV4_ONLY"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    hosts = set(filter(None, os.environ.get(ENV, "").split(",")))
    if not hosts:
        return
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        endpoint = params.params.get("endpoint") if params else None
        ipv6_here = getattr(endpoint, "family", None) == "ipv6"
        (drop if ipv6_here and endpoint.host.name in hosts else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
