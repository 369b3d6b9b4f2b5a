"""Hosts in parallel: under `pytest -n N --dist loadgroup`, each host's checks form one
group, so one worker (and one SSH connection) serves a host while others serve theirs."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        host = params["endpoint"].host if "endpoint" in params else params.get("target")
        if host is not None:
            item.add_marker(pytest.mark.xdist_group(host.name))
