"""A stand-in for Slack: a local Web API that records what the bot sends, and the payloads Slack would post to it."""
from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from channels.slack_format import unescape

TOKEN = "xoxb-test-token"
BOT_USER = "UCAREERBOT"
TEAM = "TTEAM"
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One Web API call the bot made; `ts` is the timestamp the fake gave a posted message."""

    method: str
    args: dict[str, Any]
    ts: str | None = None

    @property
    def channel(self) -> str:
        return str(self.args.get("channel", ""))

    @property
    def thread_ts(self) -> str | None:
        value = self.args.get("thread_ts")
        return str(value) if value else None

    @property
    def text(self) -> str:
        """The text as Slack would show it (the bot sends it escaped)."""
        return unescape(str(self.args.get("text", "")))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [element for block in self.args.get("blocks") or [] if block.get("type") == "actions"
                for element in block.get("elements", [])]


@dataclass
class FakeSlack:
    """The Web API methods the bot uses, answered as Slack answers them; every call is recorded."""

    api_url: str = ""
    calls: list[Call] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def answer(self, method: str, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        if authorization != f"Bearer {TOKEN}":
            return {"ok": False, "error": "invalid_auth"}
        reply: dict[str, Any]
        ts = None
        if method == "auth.test":
            reply = {"ok": True, "user_id": BOT_USER, "team_id": TEAM, "user": "careerbot", "bot_id": "BCAREER"}
        elif method == "chat.postMessage":
            ts = new_ts()
            reply = {"ok": True, "channel": args.get("channel"), "ts": ts, "message": {**args, "ts": ts}}
        elif method == "chat.update":
            reply = {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}
        else:
            reply = {"ok": False, "error": "unknown_method"}
        with self._changed:
            self.calls.append(Call(method, args, ts))
            self._changed.notify_all()
        return reply

    def posts(self, channel: str | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == "chat.postMessage" and channel in (None, c.channel)]

    def wait_for(self, condition: Callable[[], T | None], *, timeout: float = 60) -> T:
        """Wait until condition() returns something truthy (it is tried again after every call), and return it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (result := condition()):
                if not self._changed.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"Slack did not get what was expected within {timeout:.0f}s; calls: {self.calls}")
            return result


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                args = json.loads(raw or "{}")
            else:
                args = dict(parse_qsl(raw))
            reply = fake.answer(self.path.rsplit("/", 1)[-1], args, self.headers.get("Authorization", ""))
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    """A FakeSlack serving on a free loopback port for as long as the block runs."""
    fake = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.api_url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


_message_ts = itertools.count(1)


def new_ts() -> str:
    """A message timestamp as Slack writes them, unique in this test run."""
    return f"{int(time.time())}.{next(_message_ts):06d}"


def message_event(text: str, *, user: str, channel: str, ts: str | None = None, thread_ts: str | None = None,
                  kind: str = "message", **extra: Any) -> dict[str, Any]:
    """An Events API delivery of a message (kind "message") or a mention of the bot (kind "app_mention")."""
    event: dict[str, Any] = {"type": kind, "user": user, "text": text, "ts": ts or new_ts(), "channel": channel,
                             "client_msg_id": str(uuid.uuid4()), "team": TEAM, **extra}
    if kind == "message":
        event.setdefault("channel_type", "im" if channel.startswith("D") else "channel")
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {"token": "unused", "team_id": TEAM, "api_app_id": "ACAREER", "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}


def button_click(post: Call, title: str, *, user: str) -> dict[str, Any]:
    """The `block_actions` interaction Slack posts when `user` clicks the button `title` under a bot message."""
    button = next((b for b in post.buttons if b["text"]["text"] == title), None)
    assert button is not None, f"no button {title!r} in {post.buttons}"
    message = {"type": "message", "user": BOT_USER, "bot_id": "BCAREER", "ts": post.ts,
               "text": post.args.get("text", ""), "blocks": post.args.get("blocks", [])}
    container = {"type": "message", "message_ts": post.ts, "channel_id": post.channel, "is_ephemeral": False}
    if post.thread_ts:
        message["thread_ts"] = container["thread_ts"] = post.thread_ts
    return {"type": "block_actions", "user": {"id": user, "team_id": TEAM}, "api_app_id": "ACAREER", "team": {"id": TEAM},
            "container": container, "channel": {"id": post.channel}, "message": message,
            "trigger_id": f"{uuid.uuid4().int % 10**12}.trigger", "response_url": "http://127.0.0.1:9/unused",
            "actions": [{**button, "block_id": "buttons", "action_ts": f"{time.time():.6f}"}]}
