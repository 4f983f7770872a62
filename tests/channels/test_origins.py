"""CORS_ORIGINS: parsing, refusing wildcards, and which pages may connect."""
from __future__ import annotations

import pytest

from channels.origins import LOCAL_DEVELOPMENT, AllowedOrigins, OriginError, parse_origin


def test_unset_means_local_development_only() -> None:
    assert AllowedOrigins.from_env({}).origins == LOCAL_DEVELOPMENT


def test_origins_are_read_from_commas_or_spaces_and_made_canonical() -> None:
    allowed = AllowedOrigins.from_env({"CORS_ORIGINS": "https://Careers.Example.org/, http://b.org:80  https://c.org:8443,,"})
    assert allowed.origins == ("https://careers.example.org", "http://b.org", "https://c.org:8443")


def test_empty_means_only_pages_served_by_the_bot() -> None:
    allowed = AllowedOrigins.from_env({"CORS_ORIGINS": ""})
    assert allowed.origins == ()
    assert not allowed.allows("http://localhost:5005", host="127.0.0.1:6000")
    assert allowed.allows("http://127.0.0.1:6000", host="127.0.0.1:6000")


@pytest.mark.parametrize("value", ["*", "null", "https://a.org *"])
def test_a_wildcard_is_refused_with_what_to_do_instead(value: str) -> None:
    with pytest.raises(OriginError, match="CORS_ORIGINS: .* would let any website talk to the bot; list the allowed origins"):
        AllowedOrigins.from_env({"CORS_ORIGINS": value})


@pytest.mark.parametrize("value", ["https://a.org/chat", "ftp://a.org", "a.org", "https://a.org:99999", "https://user@a.org"])
def test_something_that_is_not_an_origin_is_named(value: str) -> None:
    with pytest.raises(OriginError, match=f"CORS_ORIGINS: '{value}' is not an origin"):
        parse_origin(value)


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://localhost:5005", None, True),
        ("http://127.0.0.1:5005", "bot.internal:8080", True),
        ("http://localhost:5006", None, False),
        ("https://localhost:5005", None, False),
        ("https://evil.example", "127.0.0.1:5005", False),
        ("http://127.0.0.1:41234", "127.0.0.1:41234", True),  # same origin: the page came from this server
        ("https://bot.example.org", "bot.example.org", True),  # no port in Host: the default one
        ("http://bot.example.org:8080", "bot.example.org", False),
        ("not an origin", "127.0.0.1:5005", False),
        (None, None, True),  # no Origin header: not a browser page
    ],
)
def test_which_pages_may_connect(origin: str | None, host: str | None, allowed: bool) -> None:
    assert AllowedOrigins.from_env({}).allows(origin, host=host) is allowed
