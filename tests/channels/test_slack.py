"""End-to-end over Slack: signed events and clicks posted to the real servers, replies read from a fake Slack."""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from channels.slack_events import signature
from tests.support.chat import ENGINEER_CLICKS, asked, text_of
from tests.support.fake_slack import BOT_USER, TOKEN, Call, FakeSlack, button_click, fake_slack, message_event
from tools.harness.servers import Servers, running_servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]

SECRET = "test-signing-secret"
WEBHOOK = "/webhooks/slack/webhook"
RESEARCH_CLICKS = {"goal": "Advance AI theory", "interest": "Exploring new ideas", "strength": "Analysis and maths",
                   "education": "PhD (or doing one)", "environment": "Corporate R&D", "aspiration": "Lead research / academia"}


@dataclass
class Slack:
    """Slack as the bot sees it: a webhook to post signed requests to, and the Web API it answers through."""

    servers: Servers
    api: FakeSlack

    def deliver(self, payload: dict[str, Any], *, age: float = 0, secret: str = SECRET,
                signed: bool = True, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """POST a payload as Slack does (events as JSON, interactions as a form field `payload`), signed `age` s ago."""
        if payload.get("type") == "block_actions":
            body, content_type = urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
        else:
            body, content_type = json.dumps(payload).encode(), "application/json"
        stamp = str(int(time.time() - age))
        signing = {"X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": signature(secret=secret, timestamp=stamp, body=body)} if signed else {}
        return self.servers.post(body, content_type=content_type, path=WEBHOOK, headers={**signing, **(headers or {})})

    def send(self, payload: dict[str, Any], **kwargs: Any) -> None:
        status, answer = self.deliver(payload, **kwargs)
        assert status == 200, (status, answer)

    def turn(self, payload: dict[str, Any], *, channel: str, until: Callable[[list[Call]], bool]) -> list[Call]:
        """Deliver a payload and wait until the bot's new posts in the channel satisfy `until`; return them."""
        before = len(self.api.posts(channel))
        self.send(payload)

        def answered() -> list[Call] | None:
            new = self.api.posts(channel)[before:]
            return new if new and until(new) else None

        return self.api.wait_for(answered)


def as_messages(posts: list[Call]) -> list[dict[str, Any]]:
    """Posts in the REST channel's reply format, for the REST tests' helpers."""
    return [{"text": post.text, "buttons": [{"title": b["text"]["text"], "payload": b["value"]} for b in post.buttons]}
            for post in posts]


def says(fragment: str) -> Callable[[list[Call]], bool]:
    return lambda posts: fragment in text_of(as_messages(posts))


def asks_or_recommends(posts: list[Call]) -> bool:
    return asked(as_messages(posts)) is not None or "My recommendation" in text_of(as_messages(posts))


def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


@pytest.fixture(scope="module")
def slack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slack]:
    with fake_slack() as api:
        env = {"SLACK_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api.api_url}
        with running_servers(model=trained_model, log_dir=tmp_path_factory.mktemp("slack"), extra_env=env) as servers:
            yield Slack(servers, api)


def click_through(slack: Slack, reply: list[Call], clicks: dict[str, str], *, user: str) -> list[Call]:
    """Answer each interview question left by clicking its button; the posts of the last turn."""
    for _ in range(len(clicks)):
        topic = asked(as_messages(reply))
        if topic is None:
            break
        question = reply[-1]
        assert 1 <= len(question.buttons) <= 5
        reply = slack.turn(button_click(question, clicks[topic], user=user), channel=question.channel, until=asks_or_recommends)
        assert all(post.thread_ts == question.thread_ts for post in reply)
    assert asked(as_messages(reply)) is None, "the interview did not finish"
    return reply


def test_a_conversation_in_a_direct_message(slack: Slack) -> None:
    """The scripted conversation: a role question, a follow-up, then the interview, typed and clicked."""
    dm, user = new_id("D"), new_id("U")
    reply = slack.turn(message_event("What does an AI engineer do?", user=user, channel=dm), channel=dm, until=says("deploy"))
    assert all(post.thread_ts is None for post in reply)
    reply = slack.turn(message_event("and their skills?", user=user, channel=dm), channel=dm, until=says("AI Engineer: Skills"))
    assert "Scala" in text_of(as_messages(reply))

    reply = slack.turn(message_event("which role suits me?", user=user, channel=dm), channel=dm, until=asks_or_recommends)
    assert asked(as_messages(reply)) == "goal"
    # Slack escapes &, < and > in what users type; the bot quotes it back escaped again, never as markup.
    typed = "I want to build practical solutions &amp; ship products &lt;b&gt;fast&lt;/b&gt;"
    reply = slack.turn(message_event(typed, user=user, channel=dm), channel=dm, until=asks_or_recommends)
    assert asked(as_messages(reply)) == "interest"
    result = click_through(slack, reply, ENGINEER_CLICKS, user=user)
    summary = next(post for post in result if "Here's what you told me" in post.text)
    assert "build practical solutions &amp; ship products &lt;b&gt;fast&lt;/b&gt;" in summary.args["text"]
    assert "<b>" not in summary.args["text"]
    assert "My recommendation: AI Engineer" in text_of(as_messages(result))

    updates = [call for call in slack.api.calls if call.method == "chat.update" and call.channel == dm]
    assert len(updates) == 5
    assert all(not any(b["type"] == "actions" for b in call.args["blocks"]) for call in updates)
    assert f"<@{user}> chose *Building systems for users*" in json.dumps(updates[0].args["blocks"])
    assert {call.method for call in slack.api.calls} <= {"auth.test", "chat.postMessage", "chat.update"}


def test_a_mention_is_answered_in_a_thread_and_each_thread_is_one_conversation(slack: Slack) -> None:
    channel, alice, bob = new_id("C"), new_id("U"), new_id("U")
    first = message_event(f"<@{BOT_USER}> what does an AI engineer do?", user=alice, channel=channel)
    ts = first["event"]["ts"]
    overview = slack.turn(first, channel=channel, until=says("deploy"))
    # Slack delivers a mention twice, as a message and as an app_mention: one answer.
    slack.send(message_event(f"<@{BOT_USER}> what does an AI engineer do?", user=alice, channel=channel, ts=ts,
                             kind="app_mention"))
    assert all(post.thread_ts == ts for post in overview)

    other = message_event(f"<@{BOT_USER}|careerbot> what does an AI research scientist do?", user=bob, channel=channel)
    slack.turn(other, channel=channel, until=says("Research Scientist"))
    # Follow-ups in each thread need no mention, and keep to that thread's role.
    reply = slack.turn(message_event("and their skills?", user=bob, channel=channel, thread_ts=other["event"]["ts"]),
                       channel=channel, until=says("Skills"))
    assert "AI Research Scientist: Skills" in text_of(as_messages(reply))
    assert all(post.thread_ts == other["event"]["ts"] for post in reply)
    reply = slack.turn(message_event("and their skills?", user=bob, channel=channel, thread_ts=ts),
                       channel=channel, until=says("Skills"))
    assert "AI Engineer: Skills" in text_of(as_messages(reply))
    assert all(post.thread_ts == ts for post in reply)
    assert [post.text for post in slack.api.posts(channel)].count(overview[0].text) == 1


def test_the_interview_by_buttons_in_a_channel_thread(slack: Slack) -> None:
    channel, user = new_id("C"), new_id("U")
    start = message_event(f"<@{BOT_USER}> which role suits me?", user=user, channel=channel, kind="app_mention")
    reply = slack.turn(start, channel=channel, until=asks_or_recommends)
    result = click_through(slack, reply, RESEARCH_CLICKS, user=user)
    assert "My recommendation: AI Research Scientist" in text_of(as_messages(result))
    assert all(post.thread_ts == start["event"]["ts"] for post in slack.api.posts(channel))


def test_a_bare_mention_is_greeted_with_the_menu(slack: Slack) -> None:
    channel = new_id("C")
    reply = slack.turn(message_event(f"<@{BOT_USER}>", user=new_id("U"), channel=channel, kind="app_mention"),
                       channel=channel, until=lambda posts: any(post.buttons for post in posts))
    assert "I help people choose between two AI careers" in text_of(as_messages(reply))


def catch_up(slack: Slack, dm: str, user: str) -> None:
    """Say hello and wait for the answer: by then the bot has answered all it was going to in this conversation."""
    slack.turn(message_event("hello", user=user, channel=dm), channel=dm, until=says("I help people choose"))


def assert_not_answered(slack: Slack, dm: str, user: str, marker: str) -> None:
    catch_up(slack, dm, user)
    assert not [post.text for post in slack.api.posts(dm) if marker in post.text]


@pytest.mark.parametrize(
    "tamper",
    [
        {"secret": "a-forged-secret"},
        {"signed": False},
        {"age": 6 * 60},
        {"age": -6 * 60},
    ],
    ids=["forged", "unsigned", "stale", "from-the-future"],
)
def test_forged_unsigned_and_stale_requests_get_4xx_and_no_reply(slack: Slack, tamper: dict[str, Any]) -> None:
    dm, user = new_id("D"), new_id("U")
    status, answer = slack.deliver(message_event("what skills does an AI engineer need?", user=user, channel=dm), **tamper)
    assert status == 401, answer
    assert "error" in answer
    assert_not_answered(slack, dm, user, marker="AI Engineer: Skills")


def test_a_retried_event_is_answered_once_and_an_unseen_retry_normally(slack: Slack) -> None:
    dm, user = new_id("D"), new_id("U")
    event = message_event("what skills does an AI engineer need?", user=user, channel=dm)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    slack.send(event)
    slack.send(event, headers=retry)  # while the first is still being answered
    slack.api.wait_for(lambda: says("AI Engineer: Skills")(slack.api.posts(dm)))
    slack.send(event, headers={**retry, "X-Slack-Retry-Num": "2"})  # after it was answered
    catch_up(slack, dm, user)
    assert len([post for post in slack.api.posts(dm) if "AI Engineer: Skills" in post.text]) == 1

    first_seen_as_retry = message_event("what education does an AI research scientist need?", user=user, channel=dm)
    before = len(slack.api.posts(dm))
    slack.send(first_seen_as_retry, headers=retry)
    slack.api.wait_for(lambda: says("AI Research Scientist: Education")(slack.api.posts(dm)[before:]))


def test_the_bots_own_messages_other_bots_and_edits_are_not_answered(slack: Slack) -> None:
    dm, channel, user = new_id("D"), new_id("C"), new_id("U")
    question = "what skills does an AI engineer need?"
    for event in (
        message_event(question, user=BOT_USER, channel=dm),
        message_event(question, user=user, channel=dm, bot_id="BOTHER"),
        message_event(question, user=user, channel=dm, subtype="message_changed"),
        message_event(question, user=user, channel=dm, subtype="channel_join"),
        message_event(question, user=user, channel=channel),  # a channel message that does not mention the bot
    ):
        slack.send(event)
    assert_not_answered(slack, dm, user, marker="AI Engineer: Skills")
    assert slack.api.posts(channel) == []


def test_url_verification_needs_a_signature_too(slack: Slack) -> None:
    challenge = {"token": "unused", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                 "type": "url_verification"}
    assert slack.deliver(challenge) == (200, {"challenge": challenge["challenge"]})
    status, _ = slack.deliver(challenge, signed=False)
    assert status == 401
