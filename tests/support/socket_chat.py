"""A widget-like socket.io client for the end-to-end tests: connect, ask for a session, say things, collect replies."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import socketio

from tests.support import conversation as script
from tests.support.chat import text_of

WAIT = 60.0  # for a turn's replies (the CPU is shared)
SETTLE = 0.5  # after the awaited reply, for stragglers of the same turn
ALLOWED_ORIGIN = "http://localhost:5005"  # in CORS_ORIGINS by default; the servers listen elsewhere
# python-engineio's websocket client needs aiohttp >= 3.10 (ClientWSTimeout); Rasa 3.6 pins 3.9, so
# the client polls. The websocket handshake is checked below with aiohttp directly, and the browser
# test's widget upgrades to websocket.
TRANSPORTS = ["polling"]


def as_rest(message: dict[str, Any]) -> dict[str, Any]:
    """A bot_uttered message in the REST channel's shape (quick replies become buttons)."""
    return {"text": message.get("text", ""),
            "buttons": [{"title": q["title"], "payload": q["payload"]} for q in message.get("quick_replies", [])]}


class SocketChat:
    """One widget-like client: a socket.io connection and the session it was confirmed."""

    def __init__(self, client: socketio.AsyncClient, inbox: asyncio.Queue[dict[str, Any]], session_id: str) -> None:
        self.client, self.inbox, self.session_id = client, inbox, session_id

    @classmethod
    async def open(cls, url: str, *, origin: str | None = None, session_id: str | None = None) -> SocketChat:
        client = socketio.AsyncClient(reconnection=False)
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        client.on("bot_uttered", inbox.put_nowait)
        client.on("session_confirm", lambda sid: None if confirmed.done() else confirmed.set_result(sid))
        await client.connect(url, headers={"Origin": origin} if origin else {}, transports=TRANSPORTS, wait_timeout=15)
        await client.emit("session_request", {"session_id": session_id})
        return cls(client, inbox, await asyncio.wait_for(confirmed, 15))

    async def send(self, data: object) -> None:
        await self.client.emit("user_uttered", data)

    async def say(self, text: str, until: Callable[[script.Messages], bool]) -> script.Messages:
        """Send `text` as the widget does and collect the replies until `until` holds."""
        await self.send({"message": text, "session_id": self.session_id})
        messages: script.Messages = []
        deadline = time.monotonic() + WAIT
        while not until(messages):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no fitting reply to {text!r} in {WAIT:.0f}s; got: {text_of(messages)!r}")
            try:
                messages.append(as_rest(await asyncio.wait_for(self.inbox.get(), remaining)))
            except asyncio.TimeoutError:
                continue
        return messages + await self.received_within(SETTLE)

    async def received_within(self, seconds: float) -> script.Messages:
        messages: script.Messages = []
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                messages.append(as_rest(await asyncio.wait_for(self.inbox.get(), remaining)))
            except asyncio.TimeoutError:
                break
        return messages

    async def close(self) -> None:
        # Hang up without waiting for the pending long-poll to return (python-engineio would wait ~30 s).
        await self.client.eio.disconnect(abort=True)
