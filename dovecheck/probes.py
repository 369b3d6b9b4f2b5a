"""Independent wire probes, run concurrently ahead of the checks that ask for them.

A probe (a TLS observation, a handshake with a given client, the DHE group) says
the same thing every time it is asked in a run, so each is asked once: `memoized` keeps
its outcome (result or exception) per arguments. `prefetch_host` submits a host's probes
to a small thread pool when its first check starts, so they run while the host checks
wait on SSH, and the wire checks mostly find their answer ready.
"""

from __future__ import annotations

import functools
import os
import ssl
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

WORKERS = 6  # concurrent probes per run: enough to overlap round trips, gentle on a server
_lock = threading.Lock()
_futures: dict[tuple, Future] = {}
_executor: ThreadPoolExecutor | None = None
_prefetched: set[str] = set()


def memoized(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
        with _lock:
            future = _futures.get(key)
            owner = future is None
            if owner:
                future = _futures[key] = Future()
        if owner:
            try:
                future.set_result(fn(*args, **kwargs))
            except Exception as exc:
                future.set_exception(exc)
        return future.result()

    return wrapper  # type: ignore[return-value]


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="probe")
        return _executor


def prefetch_host(host) -> None:
    """Submit every TLS probe the wire suites make of `host`'s expected services, once."""
    from . import dhe, tlsprobe
    from .services import TLS_SERVICES
    from .targets import endpoints

    if os.environ.get("DOVECHECK_PREFETCH", "1") == "0":
        return  # for before/after figures: each probe when its check asks
    with _lock:
        if host.name in _prefetched:
            return
        _prefetched.add(host.name)
    pool = _pool()
    # LMTP is dialled from the SMTP server through a forward (fixtures.wire.reach), not from
    # here: a probe from the auditor would meet the firewall and only cost its timeout.
    services = [
        s for s in TLS_SERVICES if s.protocol in host.expect.protocols and s.protocol != "lmtp"
    ]
    targets = [(ep.address, s) for ep in endpoints([host]) for s in services]
    h = host
    # Each port's first look goes first: a port that accepts but never answers is then
    # known (tlsprobe.silent) before its other probes start, and they fail at once
    # instead of each holding a worker for the timeout.
    for a, s in targets:
        pool.submit(tlsprobe.observe, a, s.port, h.fqdn, h.ca_file, h.timeout, s.upgrade)
    for a, s in targets:
        pool.submit(tlsprobe.accepts_static_rsa, a, s.port, h.fqdn, h.timeout, s.upgrade)
        pool.submit(dhe.dhe_group_bits, a, s.port, h.fqdn, h.timeout, s.upgrade)
        for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
            pool.submit(tlsprobe.accepts_version, a, s.port, h.fqdn, version, h.timeout, s.upgrade)


def shutdown() -> None:
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)
