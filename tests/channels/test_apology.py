"""When handling a message fails inside Rasa, every channel sends the one apology from bot/notices.yml."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import OutputChannel, UserMessage

from bot import notices
from channels.origins import AllowedOrigins
from channels.rest import ValidatedRestInput
from channels.slack import SlackChannel
from channels.slack_events import Conversation, Incoming
from channels.webchat import WebchatInput
from channels.widget import WidgetFiles

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


async def failing(message: UserMessage) -> None:
    raise RuntimeError("the model blew up")


def test_the_apology_reads_as_it_always_has() -> None:
    assert notices.something_went_wrong() == APOLOGY


def test_rest_apologises_in_its_reply() -> None:
    blueprint = ValidatedRestInput().blueprint(failing)
    routes: list[Any] = list(blueprint._future_routes)
    [receive] = [route.handler for route in routes if route.uri == "/webhook"]
    request = SimpleNamespace(body=json.dumps({"sender": "u1", "message": "hi"}).encode(), headers={})
    reply = asyncio.run(receive(request))
    assert reply.status == 200
    assert json.loads(reply.body) == [{"recipient_id": "u1", "text": APOLOGY}]


class Collecting(OutputChannel):
    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.texts.append((recipient_id, text))


def test_slack_apologises_in_the_conversation(monkeypatch: pytest.MonkeyPatch) -> None:
    channel = SlackChannel(token="xoxb-test", signing_secret="secret")
    output = Collecting()
    monkeypatch.setattr(channel, "get_output_channel", lambda channel=None, thread_id=None: output)
    conversation = Conversation(channel="D1", thread_ts=None, user="U1")
    asyncio.run(channel._answer(Incoming(text="hi", conversation=conversation, ids=("e1",)), failing))
    assert output.texts == [(conversation.sender_id, APOLOGY)]


class FakeSocketServer:
    def __init__(self) -> None:
        self.handlers: dict[str, Callable[..., Any]] = {}
        self.emitted: list[tuple[str, Any, str | None]] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.rooms: list[tuple[str, str]] = []

    def on(self, event: str, handler: Callable[..., Any], namespace: str | None = None) -> None:
        self.handlers[event] = handler

    async def emit(self, event: str, data: Any, room: str | None = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, room))

    async def get_session(self, sid: str, namespace: str | None = None) -> dict[str, Any]:
        return self.sessions.setdefault(sid, {})

    async def save_session(self, sid: str, session: dict[str, Any], namespace: str | None = None) -> None:
        self.sessions[sid] = session

    async def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        self.rooms.append((sid, room))


def test_webchat_apologises_to_the_socket() -> None:
    channel = WebchatInput(origins=AllowedOrigins(()), files=WidgetFiles(bundle="", pages={}))
    sio = FakeSocketServer()
    channel._handle_sessions_and_messages(sio, failing)  # type: ignore[arg-type]
    asyncio.run(sio.handlers["session_request"]("sid-1", {}))
    [(_, session_id, _)] = sio.emitted
    conversation = "widget:" + session_id.split(".")[0]
    assert sio.rooms == [("sid-1", conversation)]
    asyncio.run(sio.handlers[channel.user_message_evt]("sid-1", {"message": "hi", "session_id": session_id}))
    assert sio.emitted[1:] == [(channel.bot_message_evt, {"text": APOLOGY}, conversation)]
