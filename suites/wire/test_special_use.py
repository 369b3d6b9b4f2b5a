"""1.5: special-use mailboxes are announced in LIST; auto = subscribe ones exist and are
subscribed, auto = create ones exist unsubscribed, auto = no ones neither. Expected names
and auto modes come from the inventory (the guide's by default)."""

from __future__ import annotations

import pytest

MBOX_LIST = pytest.mark.requirement("MBOX-SPECIAL-USE-LIST")


def _special_uses(client) -> dict[str, str]:
    """{attribute: mailbox} from LIST "" "*" RETURN (SPECIAL-USE)."""
    found = {}
    for flags, _, name in client.list_folders():
        for flag in flags:
            attr = flag.decode()
            if attr not in ("\\HasChildren", "\\HasNoChildren", "\\Noselect", "\\Subscribed"):
                found[attr] = name
    return found


@MBOX_LIST
def test_list_announces_each_special_use_on_its_mailbox(imap_session, endpoint, evidence):
    assert b"SPECIAL-USE" in imap_session.capabilities(), "SPECIAL-USE is not announced"
    found = _special_uses(imap_session)
    evidence.add("special-use attributes in LIST", found)
    wanted = endpoint.host.expect.special_use
    wrong = {a: found.get(a) for a, name in wanted.items() if found.get(a) != name}
    assert not wrong, (
        f"special-use attributes not on the expected mailboxes: {wrong} (want {wanted})"
    )


@pytest.mark.requirement("MBOX-VISIBLE")
def test_auto_mailboxes_exist_and_subscribe_ones_are_subscribed(imap_session, endpoint, evidence):
    existing = {str(f[2]) for f in imap_session.list_folders()}
    subscribed = {str(f[2]) for f in imap_session.list_sub_folders()}
    evidence.add("mailboxes", f"existing {sorted(existing)}; subscribed {sorted(subscribed)}")
    auto = endpoint.host.expect.auto
    missing = sorted(
        n for n, mode in auto.items() if mode in ("subscribe", "create") and n not in existing
    )
    unsubscribed = sorted(
        n for n, mode in auto.items() if mode == "subscribe" and n not in subscribed
    )
    # The test accounts are dovecheck's alone and it never creates or subscribes these
    # mailboxes itself: what exists beyond the auto modes came from the server's settings.
    subscribed_anyway = sorted(
        n for n, mode in auto.items() if mode in ("create", "no") and n in subscribed
    )
    created_anyway = sorted(n for n, mode in auto.items() if mode == "no" and n in existing)
    assert not missing, f"auto-created mailboxes missing: {missing}"
    assert not unsubscribed, f"auto = subscribe mailboxes not subscribed: {unsubscribed}"
    assert not subscribed_anyway, (
        f"subscribed although their auto mode is create or no: {subscribed_anyway}"
    )
    assert not created_anyway, f"exist although auto = no: {created_anyway}"
