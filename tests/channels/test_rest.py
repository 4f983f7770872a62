"""The REST webhook as Rasa serves it (in this process, an echo agent answering): bad JSON gets a 400 and a reason."""
from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from channels.rest import ValidatedRestInput
from tests.support.apps import rasa_app
from tests.support.live_app import LiveApp, serving

WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture(scope="module")
def rest() -> Iterator[LiveApp]:
    with serving(rasa_app([ValidatedRestInput()])) as live:
        yield live


def test_a_message_is_answered(rest: LiveApp) -> None:
    reply = rest.post(WEBHOOK, json.dumps({"sender": "me", "message": "hi"}).encode())
    assert reply.status == 200
    assert json.loads(reply.body) == [{"recipient_id": "me", "text": "you said: hi"}]


def test_json_nested_30000_deep_gets_a_400_not_a_500(rest: LiveApp) -> None:
    """Issue 16: json.loads raised RecursionError, which nothing caught."""
    reply = rest.post(WEBHOOK, b"[" * 30_000 + b"]" * 30_000)
    assert reply.status == 400
    assert json.loads(reply.body) == {"error": "the JSON is nested more than 32 levels deep"}
    assert rest.tracebacks() == []


def test_a_5000_digit_integer_gets_a_400_not_a_500(rest: LiveApp) -> None:
    """Issue 16: Python refuses to read an int of more than 4,300 digits with a ValueError, not a JSONDecodeError."""
    body = b'{"sender": "me", "message": "hi", "metadata": {"n": ' + b"7" * 5_000 + b"}}"
    assert len(body) < 64 * 1024
    reply = rest.post(WEBHOOK, body)
    assert reply.status == 400
    assert json.loads(reply.body) == {"error": "the JSON has a number longer than 100 characters"}
    assert rest.tracebacks() == []
