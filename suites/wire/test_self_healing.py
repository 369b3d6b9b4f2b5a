"""The introduction: "Self-healing features, such as fixing broken index files".

Destructive, so opt-in twice: `--destructive` on the command line, and `disposable: true`
for the host in the inventory. The check breaks only the index of a mailbox it created on
the test account (through one fixed script the audit account may run with sudo, which
refuses any other mailbox), then asks the server to open it.
"""

from __future__ import annotations

import re
import secrets
import time

import pytest
from imapclient.exceptions import IMAPClientError

from dovecheck.errors import CheckError
from dovecheck.message import probe_message

MESSAGES = 3
BREAK_ATTEMPTS = 4
BREAK = "/usr/local/sbin/dovecheck-break-index"


@pytest.fixture
def disposable(endpoint, request):
    if not request.config.getoption("destructive"):
        pytest.skip("destructive check: run with --destructive on a disposable host")
    if not endpoint.host.disposable:
        pytest.skip(f"{endpoint.host.name} is not marked disposable in the inventory")


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _hashes(output: str) -> dict[str, str]:
    """The script's "<sha256> <file>" lines. A line without a digest (the file went away
    between the script's test and its read: on a replication pair, a sync may rewrite the
    index at that moment) says nothing about that file and is left out."""
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and _DIGEST.fullmatch(parts[0]):
            found[parts[1]] = parts[0]
    return found


def _break(facts, user: str, folder: str) -> tuple[dict[str, str], str]:
    """Break the mailbox's index, again if a file changed under the script (a line without
    a digest): on a replication pair the mailbox just created syncs with the partner, and
    dsync rewrites the index meanwhile. Each try is a fresh round trip, not the run's cache."""
    attempt = 1
    while True:
        output = facts.run([BREAK, "break", user, folder], fresh=True)
        broken = _hashes(output)
        if (broken and len(broken) == len(output.splitlines())) or attempt == BREAK_ATTEMPTS:
            return broken, output
        time.sleep(0.5 * attempt)
        attempt += 1


def _message_ids(imap, folder: str) -> set[str]:
    imap.select_folder(folder)
    uids = imap.search("ALL")
    fetched = imap.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
    return {
        data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip()
        for data in fetched.values()
    }


@pytest.mark.destructive
@pytest.mark.requirement("INTRO-SELF-HEALING")
def test_broken_index_files_are_rebuilt_without_losing_mail(
    disposable, endpoint_facts, account, imap_session, imap_session_2, evidence
):
    folder = f"dovecheck-heal-{secrets.token_hex(4)}"
    imap_session.create_folder(folder)
    sent = set()
    for n in range(MESSAGES):
        message_id, message = probe_message(account[0], f"dovecheck self-healing {n}")
        imap_session.append(folder, message)
        sent.add(message_id)
    assert _message_ids(imap_session, folder) == sent, "the appended messages are not there"
    imap_session.close_folder()  # nothing holds the mailbox open while it breaks

    broken, output = _break(endpoint_facts, account[0], folder)
    evidence.add("index files overwritten with garbage (sha256)", broken or output)
    if not broken:
        raise CheckError(f"the index of {folder} could not be broken to test with: {output!r}")

    try:
        seen = _message_ids(imap_session_2, folder)
    except IMAPClientError as exc:  # the server did not heal: SELECT itself failed
        raise AssertionError(f"SELECT {folder} failed after its index broke: {exc}") from exc
    assert seen == sent, (
        f"after the index broke, {folder} holds {len(seen)} of the {MESSAGES} messages"
    )
    imap_session_2.close_folder()
    now = _hashes(endpoint_facts.run([BREAK, "show", account[0], folder]))
    evidence.add("index files after SELECT (sha256)", now)
    still_broken = sorted(f for f, digest in broken.items() if now.get(f) == digest)
    assert still_broken != sorted(broken), f"no broken index file was rebuilt: {still_broken}"
