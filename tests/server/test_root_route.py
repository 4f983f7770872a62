"""GET / says the Rasa server is up, without naming the Rasa version (issue 16)."""
from __future__ import annotations

import json

import rasa

from channels.rest import ValidatedRestInput
from tests.support.apps import rasa_app
from tests.support.live_app import serving


def test_the_root_route_answers_ok_without_the_version() -> None:
    with serving(rasa_app([ValidatedRestInput()])) as live:
        reply = live.get("/")
    assert reply.status == 200
    assert json.loads(reply.body) == {"status": "ok"}
    assert rasa.__version__ not in reply.head + reply.body.decode()
    assert "rasa" not in reply.head.lower() and "sanic" not in reply.head.lower()
