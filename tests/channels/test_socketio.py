"""End-to-end over socket.io, the way the website widget talks to the bot: real servers, python-socketio's client."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

import aiohttp
import pytest

from tests.support import conversation as script
from tests.support.chat import button_payload, text_of
from tests.support.socket_chat import ALLOWED_ORIGIN, SocketChat
from tools.harness.servers import Servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]

def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def test_the_scripted_conversation(servers: Servers) -> None:
    async def scenario() -> None:
        chat = await SocketChat.open(servers.rasa_url)
        menu = await chat.say(script.GREETING_PAYLOAD, until=script.offers(script.START_BUTTON))
        assert 3 <= len(script.button_titles(menu)) <= 5
        reply = await chat.say(button_payload(menu, script.START_BUTTON), until=script.next_step)
        for _ in script.CLICKS:
            reply = await chat.say(button_payload(reply, script.next_click(reply)), until=script.next_step)
        assert script.RESULT in text_of(reply) and "Here's what you told me" in text_of(reply)
        await chat.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        follow_up = await chat.say(script.FOLLOW_UP, until=script.says(script.FOLLOW_UP_ANSWER))
        assert "AI Research Scientist:" not in text_of(follow_up)
        await chat.close()

    run(scenario)


def test_a_returning_visitor_continues_the_same_conversation(servers: Servers) -> None:
    async def scenario() -> None:
        first = await SocketChat.open(servers.rasa_url)
        await first.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        await first.close()
        again = await SocketChat.open(servers.rasa_url, session_id=first.session_id)
        assert again.session_id == first.session_id
        await again.say(script.FOLLOW_UP, until=script.says(script.FOLLOW_UP_ANSWER))  # the server kept the thread: still engineers
        await again.close()

    run(scenario)


def test_a_page_from_an_allowed_origin_chats(servers: Servers) -> None:
    async def scenario() -> None:
        chat = await SocketChat.open(servers.rasa_url, origin=ALLOWED_ORIGIN)
        await chat.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        await chat.close()

    run(scenario)


async def connect_reply(url: str, *, origin: str, transport: str) -> str:
    """The server's answer to a socket.io CONNECT from a page at `origin`, spoken packet by packet."""
    endpoint = f"{url}/socket.io/?EIO=4&transport={transport}"
    async with aiohttp.ClientSession(headers={"Origin": origin}, timeout=aiohttp.ClientTimeout(total=15)) as http:
        if transport == "websocket":
            async with http.ws_connect(endpoint) as ws:
                assert (await ws.receive_str()).startswith("0")  # engine.io OPEN
                await ws.send_str("40")  # socket.io CONNECT to the default namespace
                return await ws.receive_str()
        async with http.get(endpoint) as opened:
            packet = await opened.text()
        assert packet.startswith("0"), packet
        session = f"{endpoint}&sid={json.loads(packet[1:])['sid']}"
        async with http.post(session, data="40") as sent:
            assert sent.status == 200, await sent.text()
        async with http.get(session) as reply:
            return await reply.text()


@pytest.mark.parametrize("transport", ["polling", "websocket"])
@pytest.mark.parametrize(("origin", "reply"), [(ALLOWED_ORIGIN, "40{"), ("https://evil.example", "44{")])
def test_the_socketio_handshake_checks_the_origin(servers: Servers, transport: str, origin: str, reply: str) -> None:
    answer = asyncio.run(connect_reply(servers.rasa_url, origin=origin, transport=transport))
    assert answer.startswith(reply), answer  # 40: CONNECT accepted; 44: CONNECT_ERROR


def cors_header(servers: Servers, origin: str) -> str | None:
    _, headers, _ = get(servers, "/webhooks/socketio/", {"Origin": origin})
    return headers.get("Access-Control-Allow-Origin")


def test_http_cors_allows_the_same_origins(servers: Servers) -> None:
    assert cors_header(servers, ALLOWED_ORIGIN) == ALLOWED_ORIGIN
    assert cors_header(servers, "https://evil.example") is None


def test_a_client_cannot_choose_or_borrow_a_session(servers: Servers) -> None:
    async def scenario() -> None:
        owner = await SocketChat.open(servers.rasa_url)
        await owner.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        key = owner.session_id.split(".")[0]
        # A chosen id, an unsigned one (the format of ids before they were signed), a forged signature, and the
        # owner's own id with a trailing newline (which `re.match(...$)` let through) each get a new session.
        for asked_for in ["e2e-someone-else", key, f"{key}.{'0' * 32}", owner.session_id + "\n"]:
            chosen = await SocketChat.open(servers.rasa_url, session_id=asked_for)
            assert chosen.session_id not in (asked_for, owner.session_id)
            await chosen.send({"message": script.FOLLOW_UP, "session_id": owner.session_id})  # not its session
            await chosen.send({"message": script.FOLLOW_UP, "session_id": asked_for})
            assert await chosen.received_within(2) == [] and await owner.received_within(0.1) == []
            await chosen.close()
        await owner.say(script.FOLLOW_UP, until=script.says(script.FOLLOW_UP_ANSWER))
        await owner.close()

    run(scenario)


def test_one_socket_holds_one_session(servers: Servers) -> None:
    async def scenario() -> None:
        owner = await SocketChat.open(servers.rasa_url)
        await owner.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        other = await SocketChat.open(servers.rasa_url)
        confirmed: asyncio.Queue[str] = asyncio.Queue()
        other.client.on("session_confirm", confirmed.put_nowait)
        for _ in range(3):  # asking again, even for a session the server really issued, keeps the one it holds
            await other.client.emit("session_request", {"session_id": owner.session_id})
            assert await asyncio.wait_for(confirmed.get(), 15) == other.session_id
        await other.send({"message": script.FOLLOW_UP, "session_id": owner.session_id})
        assert await other.received_within(2) == [] and await owner.received_within(0.1) == []
        await other.close()
        await owner.say(script.FOLLOW_UP, until=script.says(script.FOLLOW_UP_ANSWER))
        await owner.close()

    run(scenario)


def user_messages(servers: Servers, conversation: str) -> list[str]:
    """What the user said in `conversation`, as stored."""
    with sqlite3.connect(servers.log_dir / "var" / "conversations.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (conversation,))
        return [json.loads(data)["text"] for (data,) in rows]


def test_rest_cannot_name_a_widget_conversation(servers: Servers) -> None:
    async def scenario() -> None:
        visitor = await SocketChat.open(servers.rasa_url)
        await visitor.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        key = visitor.session_id.split(".")[0]
        for sender in (visitor.session_id, key, f"widget:{key}"):
            reply = servers.say(sender, "what was my last question?")
            assert reply and reply[0]["recipient_id"] == sender
        assert await visitor.received_within(0.5) == []  # nothing reached the visitor's page
        assert user_messages(servers, f"widget:{key}") == [script.ROLE_QUESTION]  # nor the visitor's conversation
        assert user_messages(servers, f"rest:widget:{key}") == ["what was my last question?"]  # REST got its own
        await visitor.close()

    run(scenario)


def test_malformed_messages_are_dropped_and_the_chat_goes_on(servers: Servers) -> None:
    async def scenario() -> None:
        chat = await SocketChat.open(servers.rasa_url)
        for bad in ["just a string", {"session_id": chat.session_id}, {"message": {"nested": True}, "session_id": chat.session_id},
                    {"message": "hi", "session_id": chat.session_id, "metadata": "{not json"}]:
            await chat.send(bad)
        assert await chat.received_within(2) == []
        assert servers.rasa.poll() is None
        await chat.say(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
        await chat.close()

    run(scenario)


def get(servers: Servers, path: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(servers.rasa_url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_server_serves_the_demo_page_and_the_widget(servers: Servers) -> None:
    status, headers, body = get(servers, "/webchat/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert b'<script src="/webchat/webchat.js">' in body
    status, headers, body = get(servers, "/webchat/webchat.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"fonts.googleapis.com" not in body and len(body) > 500_000
    status, _, body = get(servers, "/webchat/webchat.js", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
