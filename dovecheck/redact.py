"""Secrets never reach evidence: known values and secret-shaped settings are masked."""

from __future__ import annotations

import base64
import re
import threading

MASK = "[REDACTED]"

# Settings whose value is a secret wherever they appear: Dovecot's doveadm_password,
# LDAP's dnpass, SQL connect strings' password=, and generic password fields.
_SETTING = re.compile(
    r"(?P<key>\b(?:doveadm_password|dnpass|password|passwd|pass|secret)\b\s*[=:]\s*)"
    r"(?P<value>\"[^\"]*\"|'[^']*'|[^\s;,]+)",
    re.IGNORECASE,
)
_HIDDEN = "# hidden, use -P to show it"
_PEM_KEY = re.compile(
    r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|\Z)", re.DOTALL
)


class Redactor:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None
        self._ordered: list[str] = []

    def add(self, secret: str) -> None:
        """Remember a secret, and the forms it takes on the wire (SASL PLAIN is base64)."""
        if len(secret) < 4:
            return
        with self._lock:
            if secret not in self._values:
                self._values.add(secret)
                self._pattern = None

    def _known(self) -> tuple[re.Pattern[str] | None, list[str]]:
        """One pattern that finds any known value, and the values longest first, rebuilt only
        when a value is added: a fleet report passes some 300,000 strings through here with
        hundreds of test-account passwords known, and almost none contains one."""
        with self._lock:
            if self._pattern is None and self._values:
                self._ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(map(re.escape, self._ordered)))
            return self._pattern, self._ordered

    def __call__(self, text: str) -> str:
        text = _PEM_KEY.sub(f"[PRIVATE KEY {MASK}]", text)
        known, ordered = self._known()
        if known is not None and known.search(text):
            # longest first, each everywhere: a secret that contains or overlaps another is
            # masked whole (one alternation pass could leave the longer one's tail)
            for value in ordered:
                text = text.replace(value, MASK)
        text = _SETTING.sub(
            lambda m: (
                m.group(0)
                if m.group("value").startswith("#") or _HIDDEN in m.group(0)
                else m.group("key") + MASK
            ),
            text,
        )
        return _redact_sasl(text)


_B64 = re.compile(r"\b[A-Za-z0-9+/]{12,}={0,2}")


def _redact_sasl(text: str) -> str:
    """A base64 blob that decodes to authzid NUL authcid NUL password is a credential."""

    def mask(m: re.Match[str]) -> str:
        try:
            raw = base64.b64decode(m.group(0), validate=True)
        except (ValueError, TypeError):
            return m.group(0)
        return MASK if raw.count(b"\0") == 2 else m.group(0)

    return _B64.sub(mask, text)


REDACTOR = Redactor()
