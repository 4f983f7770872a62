"""What Slack sends the bot: signed requests, and which events and button clicks are messages for it.

Plain Python, no Rasa: `channels/slack.py` adapts it to a Rasa input channel.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import OrderedDict
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from channels import json_body
from channels.senders import SLACK, conversation_id
from channels.slack_format import unescape

MAX_CLOCK_SKEW_SECONDS = 5 * 60
BARE_MENTION_TEXT = "/greet"  # "@bot" on its own is a hello: answer with the menu


class RejectedRequest(ValueError):
    """A request to the webhook that is not processed; the message says why, for the log and the caller."""

    def __init__(self, reason: str, *, status: int) -> None:
        super().__init__(reason)
        self.status = status


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature (version v0) of this body at this timestamp."""
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def check_signature(*, secret: str, timestamp: str | None, signed: str | None, body: bytes, now: float) -> None:
    """Raise RejectedRequest unless the request was signed with our secret within the last five minutes."""
    if not timestamp or not signed:
        raise RejectedRequest("missing X-Slack-Request-Timestamp or X-Slack-Signature", status=401)
    if not re.fullmatch(r"[0-9]{1,12}", timestamp):  # ASCII digits only: "²".isdigit() is true, int("²") fails
        raise RejectedRequest("X-Slack-Request-Timestamp is not a Unix time", status=401)
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise RejectedRequest("X-Slack-Request-Timestamp is more than five minutes away from now", status=401)
    # compare_digest refuses text that is not ASCII with a TypeError; a signature never is.
    if not signed.isascii() or not hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), signed):
        raise RejectedRequest("X-Slack-Signature does not match the body", status=401)


def read_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The JSON object of an event (JSON body) or of an interaction (form body with `payload=`)."""
    media_type = content_type.split(";")[0].strip().lower()
    try:
        if media_type == "application/x-www-form-urlencoded":
            text = parse_qs(body.decode("utf-8")).get("payload", [""])[0]
        else:
            text = body.decode("utf-8")
        data = json_body.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RejectedRequest("the body is neither a JSON event nor a form with a JSON payload", status=400) from None
    except json_body.BadRequest as error:
        raise RejectedRequest(str(error), status=400) from None
    if not isinstance(data, dict):
        raise RejectedRequest("the body is not a JSON object", status=400)
    return data


@dataclass(frozen=True)
class Conversation:
    """Where a message was written: one conversation per thread, or per user in a channel outside threads."""

    channel: str
    thread_ts: str | None
    user: str

    @property
    def sender_id(self) -> str:
        return conversation_id(SLACK, f"{self.channel}:{self.thread_ts or self.user}")


@dataclass(frozen=True)
class Click:
    """The message whose button was clicked, so that its buttons can be replaced by the choice."""

    channel: str
    message_ts: str
    title: str
    text: str
    blocks: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Incoming:
    """A message for the bot: its text, its conversation, and the ids under which Slack may send it again."""

    text: str
    conversation: Conversation
    ids: tuple[str, ...]
    click: Click | None = None


def _string(mapping: Any, key: str) -> str | None:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) and value else None


def incoming_message(payload: dict[str, Any], *, bot_user_id: str, active_threads: Container[str]) -> Incoming | None:
    """The message in an `event_callback`, or None when the bot should not answer it.

    Answered: direct messages, mentions of the bot, and any message in a thread the bot is already
    part of. Not answered: the bot's own and other bots' messages, and edits, joins and the like.
    """
    event = payload.get("event")
    if payload.get("type") != "event_callback" or not isinstance(event, dict):
        return None
    if event.get("type") not in ("message", "app_mention") or event.get("subtype") or event.get("bot_id"):
        return None
    user, channel, ts, text = (_string(event, key) for key in ("user", "channel", "ts", "text"))
    if not (user and channel and ts and text) or user == bot_user_id:
        return None
    direct = event.get("channel_type") == "im"
    mentioned = event["type"] == "app_mention" or f"<@{bot_user_id}" in text
    # In a channel the bot answers in a thread under the message, so a channel stays readable.
    thread_ts = _string(event, "thread_ts") or (None if direct else ts)
    conversation = Conversation(channel=channel, thread_ts=thread_ts, user=user)
    if not (direct or mentioned or conversation.sender_id in active_threads):
        return None
    ids = [f"message:{channel}:{ts}"]
    if client_msg_id := _string(event, "client_msg_id"):
        ids.append(f"client_msg_id:{client_msg_id}")
    if event_id := _string(payload, "event_id"):
        ids.append(f"event_id:{event_id}")
    return Incoming(text=clean_text(text, bot_user_id=bot_user_id) or BARE_MENTION_TEXT, conversation=conversation,
                    ids=tuple(ids))


def incoming_click(payload: dict[str, Any]) -> Incoming | None:
    """The button click in a `block_actions` interaction, as the button's payload, or None."""
    actions = payload.get("actions")
    if payload.get("type") != "block_actions" or not isinstance(actions, list):
        return None
    button = next((a for a in actions if isinstance(a, dict) and a.get("type") == "button" and _string(a, "value")), None)
    container, message = payload.get("container"), payload.get("message")
    user = _string(payload.get("user"), "id")
    channel = _string(container, "channel_id") or _string(payload.get("channel"), "id")
    message_ts = _string(container, "message_ts") or _string(message, "ts")
    if button is None or not (user and channel and message_ts):
        return None
    thread_ts = _string(container, "thread_ts") or _string(message, "thread_ts")
    blocks = message.get("blocks") if isinstance(message, dict) else None
    click = Click(
        channel=channel,
        message_ts=message_ts,
        title=_string(button.get("text"), "text") or button["value"],
        text=_string(message, "text") or "",
        blocks=tuple(b for b in blocks if isinstance(b, dict)) if isinstance(blocks, list) else (),
    )
    # One answer per set of buttons: a double click, or a click on an already answered question, is dropped.
    return Incoming(text=button["value"], conversation=Conversation(channel=channel, thread_ts=thread_ts, user=user),
                    ids=(f"buttons:{channel}:{message_ts}",), click=click)


_MARKUP = re.compile(r"<([^<>]*)>")


def clean_text(text: str, *, bot_user_id: str) -> str:
    """What the user typed: the bot's mention removed, Slack's link and mention markup and escapes undone."""

    def replace(match: re.Match[str]) -> str:
        inside = match.group(1)
        target, _, label = inside.partition("|")
        if target == f"@{bot_user_id}":
            return " "
        if label:
            return label
        return " " if target[:1] in "@#!" else target

    return " ".join(unescape(_MARKUP.sub(replace, text)).split())


class RecentIds:
    """The last `capacity` ids seen, to recognise a message Slack sends again; memory stays bounded."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, ids: Iterable[str]) -> bool:
        """Remember these ids; True if none of them had been seen before."""
        ids = list(ids)
        new = not any(key in self._ids for key in ids)
        for key in ids:
            self._ids[key] = None
            self._ids.move_to_end(key)
        while len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return new
