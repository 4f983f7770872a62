"""Widget session ids: issued and signed by the server, resumed only when the signature holds."""
from __future__ import annotations

import re

import pytest

from channels.sessions import SessionIssuer, SessionSecretError

SECRET = b"s" * 32


def test_an_issued_session_is_recognised_and_names_its_key() -> None:
    issuer = SessionIssuer(SECRET)
    issued = issuer.issue()
    key = issuer.key_of(issued)
    assert key is not None and re.fullmatch(r"[0-9a-f]{32}", key) and issued.startswith(key + ".")
    assert issuer.issue() != issued


def test_another_servers_issuer_with_the_same_secret_recognises_it() -> None:
    issued = SessionIssuer(SECRET).issue()
    assert SessionIssuer(SECRET).key_of(issued) is not None
    assert SessionIssuer(b"t" * 32).key_of(issued) is None


def forged(issued: str) -> list[object]:
    key, signature = issued.split(".")
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    return [
        key,  # a session id from before ids were signed: 32 hex digits
        f"{key}.{flipped}",  # a changed signature
        f"{'0' * 32}.{signature}",  # someone else's signature on a chosen key
        issued + "\n",  # a trailing newline passes `re.match(...$)`, not a full match
        "\n" + issued, issued.upper(), issued + "0", f"{key}.{signature[:-1]}",
        "", None, 42, ["x"], {"session_id": issued},
    ]


def test_anything_not_issued_is_refused() -> None:
    issuer = SessionIssuer(SECRET)
    for candidate in forged(issuer.issue()):
        assert issuer.key_of(candidate) is None, candidate


def test_a_short_secret_is_refused_naming_the_variable() -> None:
    with pytest.raises(SessionSecretError, match="WIDGET_SECRET has 5 characters"):
        SessionIssuer.from_env({"WIDGET_SECRET": "short"})


def test_without_a_secret_each_server_makes_its_own() -> None:
    first, second = SessionIssuer.from_env({}), SessionIssuer.from_env({})
    assert first.key_of(first.issue()) is not None
    assert second.key_of(first.issue()) is None
    assert SessionIssuer.from_env({"WIDGET_SECRET": "x" * 32}).key_of(SessionIssuer(b"x" * 32).issue()) is not None
