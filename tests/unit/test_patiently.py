"""A port that misses one greeting gets a second try; one that never greets is remembered."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from dovecheck import tlsprobe
from dovecheck.clients.pop3 import PinnedPOP3
from dovecheck.errors import Unreachable


@pytest.fixture
def pop3_server() -> Iterator[tuple[int, list[bool]]]:
    """A loopback POP3 server; `greets[i]` says whether the i-th connection is greeted
    (False: accepted and held in silence, a login process that started too late)."""
    listener = socket.create_server(("127.0.0.1", 0))
    greets: list[bool] = []
    held: list[socket.socket] = []

    def serve() -> None:
        n = 0
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            if n < len(greets) and greets[n]:
                conn.sendall(b"+OK ready\r\n")
            held.append(conn)
            n += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    tlsprobe._SILENT.clear()
    yield listener.getsockname()[1], greets
    listener.close()
    for conn in held:
        conn.close()
    tlsprobe._SILENT.clear()


def _pop3(port: int) -> PinnedPOP3:
    return tlsprobe.patiently(
        "127.0.0.1", port, lambda: PinnedPOP3("127.0.0.1", "localhost", port, 0.3)
    )


def test_a_greeting_missed_once_is_asked_for_again(pop3_server):
    port, greets = pop3_server
    greets += [False, True]
    client = _pop3(port)
    assert client.welcome == b"+OK ready"
    client.sock.close()
    assert ("127.0.0.1", port) not in tlsprobe._SILENT


def test_a_port_that_never_greets_is_waited_on_twice_then_remembered(pop3_server):
    port, greets = pop3_server
    greets += [False, False, True]
    start = time.monotonic()
    with pytest.raises(tlsprobe.Stalled, match=r"no POP3 greeting within 0\.3 s"):
        _pop3(port)
    assert 0.6 <= time.monotonic() - start < 2
    start = time.monotonic()
    with pytest.raises(Unreachable, match="earlier in this run"):
        _pop3(port)  # the third connection would be greeted: it is never made
    assert time.monotonic() - start < 0.1
