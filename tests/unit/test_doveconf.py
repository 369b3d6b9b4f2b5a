"""doveconf -n parsing, on output recorded from Debian's 2.3.19 and a replication setup."""

from __future__ import annotations

from pathlib import Path

import pytest

from dovecheck.doveconf import fields, parse
from dovecheck.errors import ProtocolGarbage
from dovecheck.mailconf import filtered

DEBIAN = (Path(__file__).parent / "data" / "doveconf-n-debian-2.3.19.txt").read_text()

REPLICATION = """# 2.3.16 (7e2e900c1a): /etc/dovecot/dovecot.conf
doveadm_password = # hidden, use -P to show it
mail_plugins = " notify replication"
plugin {
  mail_replica = tcp:server2.example.com:12345
}
protocols = imap lmtp
service aggregator {
  fifo_listener replication-notify-fifo {
    user = vmail
  }
  unix_listener replication-notify {
    user = vmail
  }
}
service doveadm {
  inet_listener {
    port = 12345
  }
}
protocol imap {
  ssl = no
}
"""


def test_debian_reference_configuration():
    conf = parse(DEBIAN)
    assert conf.version == "2.3.19.1" and conf.major_minor == (2, 3)
    assert conf.get("mail_location") == "sdbox:/var/mail/%n/"
    assert conf.protocols == ["imap", "lmtp", "sieve", "pop3"]
    inbox = conf.first("namespace", "inbox")
    assert inbox is not None
    assert inbox.first("mailbox", "Sent Messages").get("special_use") == "\\Sent"
    assert inbox.first("mailbox", "Drafts").get("auto") == "subscribe"
    userdb = conf.first("userdb")
    assert fields(userdb.get("override_fields")) == {
        "uid": "vmail",
        "gid": "vmail",
        "home": "/var/mail/%n/",
    }


def test_nested_services_listeners_and_protocol_blocks():
    conf = parse(REPLICATION)
    assert conf.protocols == ["imap", "lmtp"]
    agg = conf.first("service", "aggregator")
    assert agg.first("fifo_listener", "replication-notify-fifo").get("user") == "vmail"
    assert conf.first("service", "doveadm").first("inet_listener").get("port") == "12345"
    assert conf.first("protocol", "imap").get("ssl") == "no"
    assert conf.get("doveadm_password").startswith("# hidden")
    assert "fifo_listener replication-notify-fifo {" in agg.render()


def test_defaults_when_protocols_is_unset():
    assert parse("# 2.3.19.1 (x): /etc/dovecot/dovecot.conf\n").protocols == [
        "imap",
        "pop3",
        "lmtp",
    ]


@pytest.mark.parametrize("text", ["a {\n", "}\n", "what is this\n"])
def test_garbage_is_a_protocol_error(text):
    with pytest.raises(ProtocolGarbage):
        parse(text)


def test_dovecot_24_renamed_settings_are_named():
    from dovecheck.versions import replaced_in

    conf24 = parse("# 2.4.1-4 (7d8c0e5759): /etc/dovecot/dovecot.conf\nmail_driver = sdbox\n")
    assert conf24.major_minor == (2, 4)
    assert replaced_in(conf24, "ssl_cert") == "ssl_server_cert_file"
    assert replaced_in(conf24, "first_valid_uid") is None
    assert replaced_in(parse(DEBIAN), "ssl_cert") is None


FILTERS = """# 2.3.19 (9f4e0d8d6f): /etc/dovecot/dovecot.conf
ssl = required
ssl_key = # hidden, use -P to show it
protocol imap {
  ssl = yes
}
local 198.51.100.31 {
  protocol pop3 {
    ssl = no
  }
}
remote 10.0.0.0/8 {
  ssl = no
}
local_name mail.example.org {
  ssl_key = # hidden, use -P to show it
}
"""


def test_filter_blocks_that_set_a_setting_are_found_with_their_path():
    """A server right globally can switch TLS off for one address or network; the checks
    must see it, and ask doveconf for hidden values through the same path."""
    config = parse(FILTERS)
    ssl = filtered(config, "ssl")
    assert ssl == {
        "local 198.51.100.31 protocol pop3": (
            (("local", "198.51.100.31"), ("protocol", "pop3")),
            "no",
        ),
        "remote 10.0.0.0/8": ((("remote", "10.0.0.0/8"),), "no"),
    }
    assert list(filtered(config, "ssl_key")) == ["local_name mail.example.org"]
    assert filtered(parse(REPLICATION), "ssl") == {}  # a top-level protocol block is not one
