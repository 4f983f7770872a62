"""What Slack sends: signatures, which events are messages for the bot, their conversations, and retries."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from channels.slack_events import (
    BARE_MENTION_TEXT,
    Conversation,
    Incoming,
    RecentIds,
    RejectedRequest,
    check_signature,
    clean_text,
    incoming_click,
    incoming_message,
    read_body,
    signature,
)
from channels.slack_format import button_blocks
from tests.support.fake_slack import BOT_USER, Call, button_click, message_event

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOW = 1_700_000_000.0
BODY = b'{"type":"event_callback"}'


def signed(timestamp: float = NOW, *, secret: str = SECRET, body: bytes = BODY) -> str:
    return signature(secret=secret, timestamp=str(int(timestamp)), body=body)


def test_slacks_documented_example_signature() -> None:
    body = (b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
    assert signature(secret=SECRET, timestamp="1531420618", body=body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")


def test_a_fresh_correct_signature_passes() -> None:
    check_signature(secret=SECRET, timestamp=str(int(NOW)), signed=signed(), body=BODY, now=NOW + 299)
    check_signature(secret=SECRET, timestamp=str(int(NOW)), signed=signed(), body=BODY, now=NOW - 299)


@pytest.mark.parametrize(
    ("timestamp", "signed_as", "reason"),
    [
        (str(int(NOW)), signed(secret="not-the-secret"), "does not match"),
        (str(int(NOW)), signed(body=b'{"type":"event_callback","x":1}'), "does not match"),
        (str(int(NOW) + 1), signed(), "does not match"),
        (str(int(NOW)), None, "missing"),
        (None, signed(), "missing"),
        (str(int(NOW - 301)), signed(NOW - 301), "five minutes"),
        (str(int(NOW + 301)), signed(NOW + 301), "five minutes"),
        ("yesterday", signed(), "not a Unix time"),
        ("²", signed(), "not a Unix time"),  # a Unicode digit: int() would fail with a 500 (issue 16)
        ("١٥٣١٤٢٠٦١٨", signed(), "not a Unix time"),
        ("9" * 400, signed(), "not a Unix time"),
        (str(int(NOW)), "v0=é", "does not match"),  # hmac.compare_digest refuses non-ASCII text: a TypeError, a 500
        (str(int(NOW)), "v0=\udcff", "does not match"),  # how the web server hands on a header byte that is not UTF-8
    ],
)
def test_a_forged_unsigned_or_stale_request_is_rejected(timestamp: str | None, signed_as: str | None, reason: str) -> None:
    with pytest.raises(RejectedRequest, match=reason) as error:
        check_signature(secret=SECRET, timestamp=timestamp, signed=signed_as, body=BODY, now=NOW)
    assert error.value.status == 401


def test_bodies_are_read_from_json_or_from_a_form_payload() -> None:
    assert read_body(b'{"type": "url_verification", "challenge": "c"}', "application/json") == {
        "type": "url_verification", "challenge": "c"}
    form = urlencode({"payload": json.dumps({"type": "block_actions"})}).encode()
    assert read_body(form, "application/x-www-form-urlencoded; charset=utf-8") == {"type": "block_actions"}
    for body, content_type in ((b"{nope", "application/json"), (b"[1]", "application/json"),
                               (b"payload=%7Bnope", "application/x-www-form-urlencoded"), (b"\xff", "application/json")):
        with pytest.raises(RejectedRequest) as error:
            read_body(body, content_type)
        assert error.value.status == 400


def message(text: str, **kwargs: Any) -> Incoming | None:
    return incoming_message(message_event(text, **kwargs), bot_user_id=BOT_USER, active_threads=set())


def test_a_direct_message_is_one_conversation_per_user_and_channel_answered_outside_threads() -> None:
    incoming = message("what does an AI engineer do?", user="UALICE", channel="DALICE", ts="1.000001")
    assert incoming is not None
    assert incoming.text == "what does an AI engineer do?"
    assert incoming.conversation == Conversation(channel="DALICE", thread_ts=None, user="UALICE")
    again = message("and their skills?", user="UALICE", channel="DALICE", ts="1.000002")
    assert again is not None and again.conversation.sender_id == incoming.conversation.sender_id


def test_a_threaded_direct_message_is_its_own_conversation() -> None:
    incoming = message("hi", user="UALICE", channel="DALICE", ts="1.000005", thread_ts="1.000001")
    top = message("hi", user="UALICE", channel="DALICE", ts="1.000006")
    assert incoming is not None and top is not None
    assert incoming.conversation.thread_ts == "1.000001"
    assert incoming.conversation.sender_id != top.conversation.sender_id


def test_a_mention_in_a_channel_starts_a_thread_under_it_and_the_mention_is_removed() -> None:
    incoming = message(f"<@{BOT_USER}> what does an AI engineer do?", user="UALICE", channel="CGENERAL", ts="2.000001")
    assert incoming is not None
    assert incoming.text == "what does an AI engineer do?"
    assert incoming.conversation == Conversation(channel="CGENERAL", thread_ts="2.000001", user="UALICE")
    mention = incoming_message(message_event(f"hey <@{BOT_USER}|careerbot>, skills?", user="UBOB", channel="CGENERAL",
                                             ts="2.000009", thread_ts="2.000001", kind="app_mention"),
                               bot_user_id=BOT_USER, active_threads=set())
    assert mention is not None and mention.text == "hey , skills?"
    assert mention.conversation.sender_id == incoming.conversation.sender_id  # one conversation per thread


def test_channel_messages_without_a_mention_are_answered_only_in_threads_the_bot_is_in() -> None:
    assert message("lunch anyone?", user="UALICE", channel="CGENERAL", ts="3.000001") is None
    event = message_event("and their skills?", user="UALICE", channel="CGENERAL", ts="3.000003", thread_ts="3.000002")
    assert incoming_message(event, bot_user_id=BOT_USER, active_threads=set()) is None
    active = {Conversation(channel="CGENERAL", thread_ts="3.000002", user="anyone").sender_id}
    incoming = incoming_message(event, bot_user_id=BOT_USER, active_threads=active)
    assert incoming is not None and incoming.conversation.thread_ts == "3.000002"


@pytest.mark.parametrize(
    "extra",
    [{"user": BOT_USER}, {"bot_id": "BOTHER"}, {"subtype": "message_changed"}, {"subtype": "channel_join"},
     {"subtype": "bot_message"}, {"text": ""}, {"kind": "reaction_added"}],
)
def test_the_bots_own_other_bots_and_non_messages_are_not_answered(extra: dict[str, str]) -> None:
    fields = {"text": "what does an AI engineer do?", "user": "UALICE", "channel": "DALICE", **extra}
    assert message(**fields) is None


def test_a_bare_mention_is_a_greeting() -> None:
    incoming = message(f"<@{BOT_USER}>", user="UALICE", channel="CGENERAL")
    assert incoming is not None and incoming.text == BARE_MENTION_TEXT


def test_the_same_message_delivered_twice_has_a_shared_id() -> None:
    as_message = message_event(f"<@{BOT_USER}> hi", user="UALICE", channel="CGENERAL", ts="4.000001")
    as_mention = message_event(f"<@{BOT_USER}> hi", user="UALICE", channel="CGENERAL", ts="4.000001", kind="app_mention")
    first = incoming_message(as_message, bot_user_id=BOT_USER, active_threads=set())
    second = incoming_message(as_mention, bot_user_id=BOT_USER, active_threads=set())
    assert first is not None and second is not None
    assert set(first.ids) & set(second.ids)
    assert f"event_id:{as_message['event_id']}" in first.ids
    assert f"client_msg_id:{as_message['event']['client_msg_id']}" in first.ids


def test_recent_ids_spot_repeats_and_forget_the_oldest() -> None:
    recent = RecentIds(capacity=3)
    assert recent.add(["event_id:1", "message:C:1"])
    assert not recent.add(["event_id:1"])  # a retry
    assert not recent.add(["event_id:2", "message:C:1"])  # the same message as another event
    assert recent.add(["event_id:3"])
    assert len(recent) == 3
    assert "event_id:1" not in recent  # the least recently seen is forgotten
    assert "message:C:1" in recent  # seeing it again kept it


def test_slack_markup_is_undone_in_what_the_user_typed() -> None:
    text = (f"<@{BOT_USER}> R&amp;D &lt;3 at <https://example.org/x|example.org> or <https://example.org/y>,"
            " ask <@UBOB|bob> in <#CGENERAL|general> <!here>")
    assert clean_text(text, bot_user_id=BOT_USER) == (
        "R&D <3 at example.org or https://example.org/y, ask bob in general")


def posted(*, thread_ts: str | None, channel: str = "DALICE") -> Call:
    blocks = button_blocks("What's your goal?", [{"title": "Theory", "payload": '/inform{"goal":"theory"}'},
                                                  {"title": "Practice", "payload": '/inform{"goal":"practice"}'}])
    args = {"channel": channel, "text": "What's your goal?", "blocks": blocks, **({"thread_ts": thread_ts} if thread_ts else {})}
    return Call("chat.postMessage", args, ts="5.000002")


def test_a_click_continues_the_conversation_the_buttons_were_in() -> None:
    in_thread = incoming_click(button_click(posted(thread_ts="5.000001", channel="CGENERAL"), "Practice", user="UBOB"))
    assert in_thread is not None
    assert in_thread.text == '/inform{"goal":"practice"}'
    assert in_thread.conversation == Conversation(channel="CGENERAL", thread_ts="5.000001", user="UBOB")
    assert in_thread.click is not None and in_thread.click.title == "Practice" and in_thread.click.message_ts == "5.000002"
    direct = incoming_click(button_click(posted(thread_ts=None), "Theory", user="UALICE"))
    assert direct is not None
    assert direct.conversation.sender_id == Conversation(channel="DALICE", thread_ts=None, user="UALICE").sender_id


def test_one_answer_per_set_of_buttons() -> None:
    post = posted(thread_ts=None)
    first, second = (incoming_click(button_click(post, title, user="UALICE")) for title in ("Theory", "Practice"))
    assert first is not None and second is not None and first.ids == second.ids


def test_other_interactions_are_not_messages() -> None:
    click = button_click(posted(thread_ts=None), "Theory", user="UALICE")
    assert incoming_click({**click, "type": "view_submission"}) is None
    assert incoming_click({**click, "actions": [{"type": "static_select", "selected_option": {"value": "x"}}]}) is None
    assert incoming_click({**click, "actions": [{"type": "button", "url": "https://example.org"}]}) is None
