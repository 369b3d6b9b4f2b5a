"""Independent wire probes, run concurrently ahead of the checks that ask for them.

A probe (a TLS observation, a handshake with a given client, the DHE group) says
the same thing every time it is asked in a run, so each is asked once: `memoized` keeps
its outcome (result or exception) per arguments. The warm-up (`fixtures/warmup.py`) submits
a host's probes to small thread pools when its first check starts, so they run while other
checks do, and the checks mostly find their answer ready.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# Concurrent probes per run, per lane. "probe": handshakes, enough to overlap round trips
# and gentle on a server. "wait": probes that mostly wait (a firewall that drops a SYN, the
# IDLE experiment's notification delay), which would otherwise hold the handshakes' workers.
# "pair": a pair's convergence measurement, some seconds of waiting on the replicator.
WORKERS = {"probe": 6, "wait": 4, "pair": 2}
_lock = threading.Lock()
_futures: dict[tuple, Future] = {}
_executors: dict[str, ThreadPoolExecutor] = {}


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
            except BaseException as exc:  # Ctrl-C: a probe thread waiting on it must not hang
                future.set_exception(exc)
                raise
        return future.result()

    return wrapper  # type: ignore[return-value]


def _pool(lane: str = "probe") -> ThreadPoolExecutor:
    with _lock:
        if lane not in _executors:
            _executors[lane] = ThreadPoolExecutor(WORKERS[lane], thread_name_prefix=lane)
        return _executors[lane]


def prefetch_host(host, reach: Callable[[str, Any], tuple[str, int]]) -> None:
    """Submit every TLS probe the wire suites make of `host`'s expected services, once.

    `reach(address, service)` says where to dial: the server itself, or a loopback port
    forwarded from the host the connection must start on (LMTP from the SMTP server,
    whose forward may take an SSH connection to open: that happens in the pool too)."""
    from . import dhe, tlsprobe
    from .services import TLS_SERVICES
    from .targets import endpoints

    expect = host.expect
    services = [
        s
        for s in TLS_SERVICES
        if s.protocol in expect.protocols and (s.protocol != "lmtp" or expect.lmtp == "port")
    ]
    h = host

    def probe_all(address: str, service) -> None:
        try:
            a, port = reach(address, service)
        except Exception:
            return  # the checks ask again and report it (a failed forward is kept)
        # Each port's first look comes first: a port that accepts but never answers is
        # then known (tlsprobe.patiently) before its other probes start, and they fail at
        # once instead of each holding a worker for the timeout.
        up = service.upgrade
        try:
            tlsprobe.observe(a, port, h.fqdn, h.ca_file, h.timeout, up)
        except Exception:
            return  # unreachable or silent: the other probes would only say so again
        for kind in (tlsprobe.STATIC_RSA, tlsprobe.BROKEN):
            submit(tlsprobe.accepts_suites, a, port, h.fqdn, kind, h.timeout, up)
        submit(dhe.dhe_group_bits, a, port, h.fqdn, h.timeout, up)
        for version in tlsprobe.LEGACY:
            submit(tlsprobe.accepts_version, a, port, h.fqdn, version, h.timeout, up)

    for ep in endpoints([host]):
        for service in services:
            submit(probe_all, ep.address, service)


def submit(fn: Callable[..., Any], *args: Any, lane: str = "probe") -> None:
    """Start a memoized probe in the pool; the check that asks later finds its outcome."""
    if os.environ.get("DOVECHECK_PREFETCH", "1") == "0":
        return  # for before/after figures: each probe when its check asks
    with contextlib.suppress(RuntimeError):  # the run is over: nobody will ask
        _pool(lane).submit(fn, *args)


def shutdown() -> None:
    with _lock:
        executors = list(_executors.values())
        _executors.clear()
    for executor in executors:
        executor.shutdown(wait=True, cancel_futures=True)
