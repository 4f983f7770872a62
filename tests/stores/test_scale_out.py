"""Two Rasa servers sharing PostgreSQL and Redis: interleaved and simultaneous messages, nothing lost or doubled.

Runs against this machine's PostgreSQL (a fresh database per run) and Redis (a fresh key prefix).
"""
from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from channels.senders import REST, conversation_id
from stores.tracker_store import WindowedSQLTrackerStore
from tests.support.chat import ENGINEER_CLICKS, QUESTIONS, RESEARCH_ANSWERS, asked, text_of
from tools.harness.cluster import REDIS_URL, Cluster, RasaServer, fresh_postgres_database, running_cluster, say

pytestmark = [pytest.mark.e2e, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
CONVERSATIONS = 6
# Asked all at once in the middle of the interview, at both servers.
DETOURS = ("what skills does an AI engineer need?", "what education does a research scientist need?",
           "what tools do AI engineers use?")
DETOUR_ANSWERS = ("AI Engineer: Skills", "AI Research Scientist: Education", "AI Engineer: ")
PROFILES = {"AI Research Scientist": RESEARCH_ANSWERS, "AI Engineer": ENGINEER_CLICKS}


@dataclass
class Visitor:
    sender: str
    expected: str
    answers: dict[str, str]
    sent: list[str] = field(default_factory=list)
    bot_messages: int = 0
    result: str = ""

    def say(self, server: RasaServer, message: str) -> list[dict[str, Any]]:
        self.sent.append(message)
        replies = say(server, self.sender, message)
        self.bot_messages += len(replies)
        return replies


@pytest.fixture(scope="module")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, str]]:
    with fresh_postgres_database() as db_url, running_cluster(
            model=trained_model, log_dir=tmp_path_factory.mktemp("scale-out"), instances=2, pin=True,
            env={"DB_URL": db_url, "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": f"test{uuid.uuid4().hex[:10]}",
                 "ACTION_TIMEOUT": "10"}) as running:  # storage is on test here, not a slow machine's apologies
        yield running, db_url


def interview(visitor: Visitor, servers: list[RasaServer]) -> None:
    """The whole interview, each message to the other server, with simultaneous detours after the first answer."""
    step = iter(range(100))
    reply = visitor.say(servers[next(step) % 2], "which role suits me?")
    reply = visitor.say(servers[next(step) % 2], visitor.answers[str(asked(reply))])
    assert asked(reply) == "interest"
    with ThreadPoolExecutor(len(DETOURS)) as pool:  # the same visitor, three messages at once, both servers
        bursts = list(pool.map(lambda i: visitor.say(servers[i % 2], DETOURS[i]), range(len(DETOURS))))
    for burst, answer in zip(bursts, DETOUR_ANSWERS, strict=True):
        assert answer in text_of(burst) and asked(burst) == "interest", text_of(burst)
    reply = bursts[-1]
    for _ in QUESTIONS:
        topic = asked(reply)
        if topic is None:
            break
        reply = visitor.say(servers[next(step) % 2], visitor.answers[topic])
    visitor.result = text_of(reply)


def stored_events(db_url: str, sender: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT type_name, action_name, data FROM events WHERE sender_id = %s ORDER BY id",
                       (conversation_id(REST, sender),))
        return [(type_name, action, json.loads(data)) for type_name, action, data in cursor.fetchall()]


def test_two_servers_share_every_conversation(cluster: tuple[Cluster, str]) -> None:
    running, db_url = cluster
    profiles = list(PROFILES.items())
    visitors = [Visitor(f"scale-{index}-{uuid.uuid4().hex[:6]}", *profiles[index % len(profiles)])
                for index in range(CONVERSATIONS)]
    with ThreadPoolExecutor(len(visitors)) as pool:
        list(pool.map(lambda v: interview(v, running.rasa), visitors))

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = WindowedSQLTrackerStore(domain=domain, host=db_url)
    for visitor in visitors:
        assert f"My recommendation: {visitor.expected}" in visitor.result, visitor.result
        events = stored_events(db_url, visitor.sender)
        users = [data["text"] for type_name, _, data in events if type_name == "user"]
        assert Counter(users) == Counter(visitor.sent), "a message was lost or stored twice"
        assert len({json.dumps(data, sort_keys=True) for _, _, data in events}) == len(events), "an event was stored twice"
        assert sum(type_name == "bot" for type_name, _, _ in events) == visitor.bot_messages
        # One message at a time, across both servers: a message is taken only after the previous turn has
        # ended with the bot listening (and so after its events were stored).
        for before, after in zip(events, events[1:], strict=False):
            if after[0] == "user":
                assert before[:2] == ("action", "action_listen"), (before, after)
                assert after[2]["timestamp"] >= before[2]["timestamp"], f"{after[2]['text']!r} was processed concurrently"
        recommendation = [data["text"] for type_name, _, data in events
                          if type_name == "bot" and "My recommendation" in (data.get("text") or "")]
        assert recommendation and f"My recommendation: {visitor.expected}" in recommendation[-1]
        # The windowed tracker the servers read agrees with a replay of everything stored.
        served = asyncio.run(store.retrieve(conversation_id(REST, visitor.sender)))
        full = DialogueStateTracker.from_events(visitor.sender, deserialise_events([e[2] for e in events]), domain.slots)
        assert served is not None and served.current_slot_values() == full.current_slot_values()
        assert len(served.events) < len(full.events)


def test_each_server_runs_on_its_own_cpu_with_all_its_threads(cluster: tuple[Cluster, str]) -> None:
    running, _ = cluster
    allowed = sorted(os.sched_getaffinity(0))
    for index, server in enumerate(running.rasa):
        threads = os.listdir(f"/proc/{server.process.pid}/task")
        assert len(threads) > 1  # TensorFlow's, the event loop's and the database's threads
        assert {tid: os.sched_getaffinity(int(tid)) for tid in threads} == \
            {tid: {allowed[index % len(allowed)]} for tid in threads}
        assert f"pinned to CPU(s) {allowed[index % len(allowed)]} (RASA_CPUS)" in server.log.read_text()
