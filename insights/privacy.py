"""What the report may show of a person: never who they are.

Conversation ids (which carry a REST sender's name, a Slack user or channel) are replaced, as they
are read, by a keyed hash whose key is made afresh for every report, so a hash cannot be looked up
or matched across reports. Free text appears only among the messages the assistant could not
answer, with anything that looks like an e-mail address or a phone number masked.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

EMAIL_MASK, PHONE_MASK = "[e-mail]", "[phone]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Seven digits or more, in one run or in groups joined by spaces, dots, dashes, slashes or brackets,
# with an optional leading "+" or bracket: phone numbers the way people type them. Years ("2026"),
# percentages and "3.5 years" have too few digits to match.
_PHONE = re.compile(r"(?<![\w+(])\+?\(?\d(?:[\s().\-/]{0,2}\d){6,}(?!\w)")
# ... but not a date or a span of years ("2026-12-01", "2025-2026"), which have as many digits.
_DATE = re.compile(r"(?:19|20)\d\d(?:[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])|\s?[-/]\s?(?:19|20)\d\d)")


def mask(text: str) -> str:
    """`text` with e-mail addresses and phone numbers replaced by [e-mail] and [phone]."""
    return _PHONE.sub(_phone_or_date, _EMAIL.sub(EMAIL_MASK, text))


def _phone_or_date(match: re.Match[str]) -> str:
    return match.group() if _DATE.fullmatch(match.group()) else PHONE_MASK


class Hasher:
    """Hashes conversation ids with a key of its own: equal ids give equal hashes within one report only."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(32)

    def __call__(self, sender: str) -> str:
        return hmac.new(self._key, sender.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
