"""Who may see the report in the browser: only a request carrying INSIGHTS_TOKEN.

The token comes as `Authorization: Bearer <token>`, or as the password of HTTP basic auth (any user
name), which is what a browser sends once it has asked for it. Without INSIGHTS_TOKEN the page
does not exist; a token too short to be a secret stops the server at start.
"""
from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

TOKEN_VARIABLE = "INSIGHTS_TOKEN"
MIN_TOKEN_LENGTH = 32
#: The challenge that makes a browser ask for the password.
CHALLENGE = 'Basic realm="Career guide insights", charset="UTF-8"'


class InsightsTokenError(ValueError):
    """INSIGHTS_TOKEN is set but unusable; the message says what to set instead."""


def token_from_env(environ: Mapping[str, str]) -> str | None:
    """The token the page asks for, or None: no page."""
    token = environ.get(TOKEN_VARIABLE, "")
    if not token:
        return None
    if len(token) < MIN_TOKEN_LENGTH or not token.isascii() or not token.isprintable() or ":" in token or " " in token:
        raise InsightsTokenError(f"{TOKEN_VARIABLE} must be at least {MIN_TOKEN_LENGTH} printable ASCII characters without "
                                 "spaces or colons (e.g. `openssl rand -hex 32`), or unset to serve no /insights/ page")
    return token


def authorised(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries the token, as a bearer token or as a basic-auth password."""
    scheme, _, credentials = (header or "").strip().partition(" ")
    given = credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(given, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        given = decoded.partition(":")[2]
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))
