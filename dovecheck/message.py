"""The messages the suites deliver and append: each one only this run could have sent."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import formatdate


def probe_message(recipient: str, subject: str) -> tuple[str, bytes]:
    """A message only this run could have sent: (its Message-ID, its bytes)."""
    msg = EmailMessage()
    message_id = f"<dovecheck-{uuid.uuid4().hex}@dovecheck.invalid>"
    msg["From"] = "dovecheck@dovecheck.invalid"
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate()
    msg["Message-ID"] = message_id
    msg.set_content("A test message of the dovecheck audit; it removes it again.\n")
    return message_id, msg.as_bytes()
