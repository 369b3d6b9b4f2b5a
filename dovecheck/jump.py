"""Connections that must start on another host (the SMTP server delivering over LMTP, the
replication partner reaching doveadm), opened through that host's SSH connection.

A direct-tcpip channel makes the connection come from the other host's address, as the
firewall sees it, and needs nothing installed there. The channel is bridged to one end of
a local socket pair, so the ordinary clients (smtplib, ssl) work on it unchanged.
"""

from __future__ import annotations

import contextlib
import socket
import threading

import paramiko

from .errors import Unreachable
from .ssh import VerifiedParamikoBackend


def _transport(backend: VerifiedParamikoBackend) -> paramiko.Transport:
    transport = backend.client.get_transport()
    if transport is None or not transport.is_active():
        raise Unreachable(f"{backend.inv_host.name}: SSH connection lost")
    return transport


# (SSH host, address, port) -> why it could not be reached from there, this run
_SILENT: dict[tuple[str, str, int], str] = {}


def open_channel(
    via: VerifiedParamikoBackend, address: str, port: int, timeout: float
) -> paramiko.Channel:
    """A TCP connection from `via` to address:port; a refusal or silence is Unreachable.
    Like `tlsprobe.connect`, a destination that timed out or could not be routed to is not
    waited on again in this run (a refusal is cheap to ask, and is asked each time)."""
    where = f"{address} port {port} from {via.inv_host.name}"
    key = (via.inv_host.name, address, port)
    if key in _SILENT:
        raise Unreachable(f"{_SILENT[key]} (earlier in this run)")
    try:
        chan = _transport(via).open_channel(
            "direct-tcpip", (address, port), ("127.0.0.1", 0), timeout=timeout
        )
    except paramiko.ChannelException as exc:
        # sshd's own connect() failed: refused, unreachable, or forwarding not allowed
        message = f"{where}: {exc.text or 'connect failed'} (code {exc.code})"
        if "refused" not in (exc.text or "").lower():
            _SILENT[key] = message
        raise Unreachable(message) from exc
    except paramiko.SSHException as exc:  # no answer to the open within the timeout
        _SILENT[key] = f"{where}: no connection within {timeout:g} s ({exc})"
        raise Unreachable(_SILENT[key]) from exc
    chan.settimeout(timeout)
    return chan


def _send_in_order(chan: paramiko.Channel, data: bytes) -> None:
    """Channel.sendall, but the DATA message leaves while the channel lock is held.

    paramiko builds DATA under the lock and sends it after releasing it. When the server
    closes the channel at that moment (a TLS probe it refuses), paramiko's CLOSE reply can
    overtake the DATA; OpenSSH has freed the channel by then, and answers DATA for an
    unknown channel by dropping the whole SSH connection ("packet referred to nonexistent
    channel", cf. paramiko#1705). Holding the lock orders DATA before any CLOSE. (paramiko
    releases it to avoid a deadlock during re-keying, which these short connections never
    reach: OpenSSH re-keys after gigabytes.)"""
    while data:
        msg = paramiko.Message()
        msg.add_byte(paramiko.common.cMSG_CHANNEL_DATA)
        msg.add_int(chan.remote_chanid)
        with chan.lock:
            if chan.closed:
                raise OSError("channel closed")
            size = chan._wait_for_send_window(len(data))
            if size == 0:
                raise OSError("channel closed")
            msg.add_string(data[:size])
            chan.transport._send_user_message(msg)
        data = data[size:]


def _pump(chan: paramiko.Channel, local: socket.socket) -> None:
    """Copy both ways until the local side closes, then close the channel.

    No select() on the channel: Channel.fileno() adds an event pipe that the transport
    thread writes to, and a close from another thread breaks that pipe under it, which
    kills the whole SSH transport (BrokenPipeError in paramiko's feed). A thread per
    direction needs no pipe."""

    def to_local() -> None:
        try:
            while not chan.closed:
                try:
                    data = chan.recv(65536)
                except TimeoutError:
                    continue  # idle, not gone
                if not data:
                    break
                local.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                local.shutdown(socket.SHUT_WR)

    threading.Thread(target=to_local, daemon=True).start()
    try:
        while data := local.recv(65536):
            _send_in_order(chan, data)
    except OSError:
        pass
    finally:
        chan.close()
        local.close()


def bridged(chan: paramiko.Channel, timeout: float) -> socket.socket:
    """A real socket whose peer is the channel: what ssl.wrap_socket and smtplib need."""
    mine, theirs = socket.socketpair()
    mine.settimeout(timeout)
    threading.Thread(target=_pump, args=(chan, theirs), daemon=True).start()
    return mine


def connect_from(
    via: VerifiedParamikoBackend, address: str, port: int, timeout: float
) -> socket.socket:
    """A socket connected to address:port as seen from the host `via` is connected to."""
    return bridged(open_channel(via, address, port, timeout), timeout)


class LocalForward:
    """A port on the auditor's loopback that leads to address:port as seen from `via`: for
    code that dials an address itself (the TLS probes), so that a
    port the firewall opens only to the SMTP server can still be examined, from there."""

    def __init__(
        self, via: VerifiedParamikoBackend, address: str, port: int, timeout: float
    ) -> None:
        self._via, self._target, self._timeout = via, (address, port), timeout
        open_channel(via, address, port, timeout).close()  # refused or silent: Unreachable now
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(None)
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # closed
            try:
                chan = open_channel(self._via, *self._target, self._timeout)
            except Unreachable:
                conn.close()  # the probe then sees the connection end, as a refusal would
                continue
            threading.Thread(target=_pump, args=(chan, conn), daemon=True).start()

    def close(self) -> None:
        self._listener.close()
