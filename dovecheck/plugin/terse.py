"""A check's failure reads as its message, not as a Python traceback.

A failed or erred check is a finding or the harness's own error, both said in one sentence
(the report's reason). pytest's default representation parses the source of every frame
of the traceback to print it: on a host where every check errs (unreachable, answering
garbage) that was some 20 s of CPU for ~220 failures, for text nobody reads in an audit.
Asked for explicitly (`--tb=long`, `short`, `native`...), pytest's own tracebacks come back,
for whoever debugs the harness.
"""

from __future__ import annotations

import types

import pytest


def _message_only(self: pytest.Item, excinfo, style=None):
    return excinfo.getrepr(style="value", funcargs=False)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("tbstyle", "auto") != "auto":
        return
    for item in items:
        if "suites" in item.path.parts:
            # both ways pytest asks: repr_failure (the call) and _repr_failure_py (setup,
            # teardown); the crash line, which the report's reason is made of, is unchanged
            item.repr_failure = types.MethodType(_message_only, item)  # type: ignore[method-assign]
            item._repr_failure_py = types.MethodType(_message_only, item)  # type: ignore[method-assign]
