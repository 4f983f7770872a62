"""Widget session ids the server issues and can verify, and the conversation each one names.

A session id is `<key>.<signature>`: 32 random hex digits and an HMAC-SHA256 of them under the
server's secret (`WIDGET_SECRET`), so a page can resume only an id this server (or another with the
same secret) issued, never choose one. The conversation is stored as `widget:<key>`
(channels/senders.py); the signature stays with the page.

Without WIDGET_SECRET the server makes up a secret when it starts: sessions then last until the
server restarts, and servers behind one load balancer don't accept each other's. `scripts/run.sh`
keeps a generated secret in var/ for `make run`; a deployment sets its own.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from collections.abc import Mapping

from rasa.shared.exceptions import RasaException

SECRET_VARIABLE = "WIDGET_SECRET"
MIN_SECRET_LENGTH = 32
_KEY = r"[0-9a-f]{32}"
_SESSION_ID = re.compile(rf"({_KEY})\.([0-9a-f]{{32}})")

logger = logging.getLogger(__name__)


class SessionSecretError(RasaException):
    """WIDGET_SECRET is set but too short to sign with (reported without a traceback)."""


class SessionIssuer:
    """Issues widget session ids and tells which ones it issued."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SessionIssuer:
        secret = environ.get(SECRET_VARIABLE, "")
        if not secret:
            logger.warning("%s is not set: widget sessions will not survive a restart of this server", SECRET_VARIABLE)
            return cls(secrets.token_bytes(32))
        if len(secret) < MIN_SECRET_LENGTH:
            raise SessionSecretError(f"{SECRET_VARIABLE} has {len(secret)} characters; use a random string of at least "
                                     f"{MIN_SECRET_LENGTH} (e.g. `openssl rand -hex 32`)")
        return cls(secret.encode())

    def _signature(self, key: str) -> str:
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        """A new session id."""
        key = secrets.token_hex(16)
        return f"{key}.{self._signature(key)}"

    def key_of(self, session_id: object) -> str | None:
        """The key of a session id this issuer signed, or None for anything else."""
        if not isinstance(session_id, str) or not (match := _SESSION_ID.fullmatch(session_id)):
            return None
        key, signature = match.groups()
        return key if hmac.compare_digest(signature, self._signature(key)) else None
