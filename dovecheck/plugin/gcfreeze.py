"""The collected items of a fleet run are kept out of the garbage collector's way.

A hundred-host run holds some 28,000 items with their marks and parameters for the whole
run, in every xdist worker and the controller. Every full collection walked them all
again (pytest alone asks for five at the end of a session: 1.7 s per process on this
machine). They live until the process ends, so after collection they are frozen into
the permanent generation and later collections only look at what checks create.
"""

from __future__ import annotations

import gc

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
