"""Conversations stored before ids were namespaced by channel are renamed once, and go on under the new id."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.sender_migration import renamed
from stores.tracker_store import WindowedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def conversation(sender_id: str, channel: str | None) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender_id, [
        ActionExecuted(ACTION_LISTEN_NAME), UserUttered("what does an AI engineer do?", input_channel=channel),
        BotUttered(f"an answer for {sender_id}"), ActionExecuted(ACTION_LISTEN_NAME)])


def store_from_before(domain: Domain, url: str, trackers: list[DialogueStateTracker]) -> None:
    """A database written by a server from before the renaming: the conversations, and no record of it."""
    store = WindowedSQLTrackerStore(domain=domain, host=url)
    for tracker in trackers:
        asyncio.run(store.save(tracker))
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM career_migrations"))


def senders(url: str) -> set[str]:
    with sa.create_engine(url).connect() as connection:
        return {row[0] for row in connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}


def test_old_conversations_are_renamed_by_the_channel_they_came_from(domain: Domain, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store_from_before(domain, url, [
        conversation("alice", "rest"), conversation("0123456789abcdef0123456789abcdef", "socketio"),
        conversation("slack:C1:U1", "slack"), conversation("from-the-shell", "cmdline"),
        conversation("widget:abc", "rest"),  # a REST caller who named a widget id: stays a REST conversation
    ])
    store = WindowedSQLTrackerStore(domain=domain, host=url)
    assert senders(url) == {"rest:alice", "widget:0123456789abcdef0123456789abcdef", "slack:C1:U1", "from-the-shell",
                            "rest:widget:abc"}
    tracker = asyncio.run(store.retrieve("rest:alice"))  # the REST caller "alice" goes on where it was
    assert tracker is not None and tracker.latest_bot_utterance is not None
    assert tracker.latest_bot_utterance.text == "an answer for alice"
    assert asyncio.run(store.retrieve("alice")) is None


def test_the_renaming_runs_once(domain: Domain, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store_from_before(domain, url, [conversation("bob", "rest")])
    WindowedSQLTrackerStore(domain=domain, host=url)
    store = WindowedSQLTrackerStore(domain=domain, host=url)
    asyncio.run(store.save(conversation("carol", "rest")))  # a channel always names its own now; never renamed
    WindowedSQLTrackerStore(domain=domain, host=url)
    assert senders(url) == {"rest:bob", "carol"}


def test_two_conversations_are_never_merged(domain: Domain, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store_from_before(domain, url, [conversation("dave", "rest"), conversation("rest:dave", "rest")])
    WindowedSQLTrackerStore(domain=domain, host=url)
    assert senders(url) == {"dave", "rest:dave"}


@pytest.mark.parametrize(("sender_id", "channel", "expected"), [
    ("alice", "rest", "rest:alice"), ("rest:alice", "rest", None), ("ab" * 16, "socketio", "widget:" + "ab" * 16),
    ("slack:C:U", "slack", None), ("x", "cmdline", None), ("x", None, None), ("x", 3, None),
])
def test_which_ids_change(sender_id: str, channel: object, expected: str | None) -> None:
    assert renamed(sender_id, channel) == expected
