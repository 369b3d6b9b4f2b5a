"""Section 1.4's settings and the replicator's tables, as Dovecot 2.3.19 prints them."""

from __future__ import annotations

import pytest

from dovecheck import doveconf
from dovecheck import replication as repl
from dovecheck.convergence import NotConverged, percentile, wait_until

CONF = """# 2.3.19.1 (9b53102964): /etc/dovecot/dovecot.conf
doveadm_password = # hidden, use -P to show it
mail_plugins = " notify replication"
plugin {
  mail_replica = tcp:server2.example.com:12345
}
protocol lmtp {
  mail_plugins = " notify replication sieve"
}
service doveadm {
  inet_listener {
    port = 12345
  }
}
service replicator {
  process_min_avail = 1
  unix_listener replicator-doveadm {
    mode = 0600
    user = vmail
  }
}
"""

STATUS = """Queued 'sync' requests        0
Queued 'high' requests        0
Queued 'low' requests         0
Queued 'failed' requests      1
Queued 'full resync' requests 30
Waiting 'failed' requests     2
Total number of known users   75
"""

USERS = """username             priority fast sync full sync success sync failed
dctest1              none     00:00:04  00:00:04  00:00:04     -
nobody               none     00:00:05  00:00:05  -            y
"""


def test_the_guides_settings_are_read():
    config = doveconf.parse(CONF)
    assert repl.doveadm_ports(config) == {12345}
    assert repl.plugins(config) == {
        "global": {"notify", "replication"},
        "lmtp": {"notify", "replication", "sieve"},
    }
    replica = repl.Replica.parse(repl.replicas(config)["mail_replica"])
    assert (replica.transport, replica.host, replica.port) == ("tcp", "server2.example.com", 12345)
    socket = repl.listener(config, "replicator", "unix_listener", "replicator-doveadm")
    assert socket is not None and socket.get("mode") == "0600"


@pytest.mark.parametrize(
    ("raw", "host", "port"),
    [
        ("tcp:[2001:db8::2]:12345", "2001:db8::2", 12345),
        ("tcp:mx2.example.com", "mx2.example.com", None),
        ("remote:vmail@mx2.example.com", "vmail@mx2.example.com", None),
    ],
)
def test_replica_forms(raw, host, port):
    replica = repl.Replica.parse(raw)
    assert (replica.host, replica.port) == (host, port)


def test_replicator_status_counts_failed_requests():
    status = repl.parse_status(STATUS)
    assert status.failed == 3 and status.known_users == 75


def test_per_user_status():
    users = repl.parse_user_status(USERS)
    assert not users["dctest1"].failed and users["dctest1"].success_sync == "00:00:04"
    assert users["nobody"].failed and users["nobody"].success_sync == "-"


def test_percentiles_are_observed_values():
    values = [0.5, 0.1, 0.3, 0.2, 0.4]
    assert percentile(values, 50) == 0.3
    assert percentile(values, 95) == 0.5
    assert percentile([0.7], 95) == 0.7


def test_a_change_that_never_arrives_is_a_finding_with_the_time_waited():
    with pytest.raises(NotConverged, match=r"within 0\.1 s"):
        wait_until("probe", lambda: False, 0.1)
    assert wait_until("probe", lambda: True, 0.1) < 0.1
