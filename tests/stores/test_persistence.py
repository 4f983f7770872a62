"""Conversations outlive the Rasa process, and sessions end when the domain says (SQLite, the default store)."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.senders import REST, conversation_id
from tests.support.chat import RESEARCH_ANSWERS, asked, text_of
from tools.harness.cluster import Cluster, running_cluster, say

pytestmark = [pytest.mark.e2e, pytest.mark.model]

HOUR = 3600.0
RESULT = "My recommendation: AI Research Scientist"


@pytest.fixture(scope="module")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    log_dir = tmp_path_factory.mktemp("persistence")
    with running_cluster(model=trained_model, log_dir=log_dir, instances=1,
                         env={"DATA_DIR": str(log_dir / "var"), "DB_URL": "", "REDIS_URL": ""}) as running:
        yield running


def database(cluster: Cluster) -> sqlite3.Connection:
    return sqlite3.connect(Path(cluster.env["DATA_DIR"]) / "conversations.db")


def age(cluster: Cluster, sender: str, seconds: float) -> None:
    """Move every stored event of `sender` `seconds` into the past, as if the visitor had been away."""
    with database(cluster) as db:
        rows = db.execute("SELECT id, data FROM events WHERE sender_id = ?", (conversation_id(REST, sender),)).fetchall()
        for event_id, data in rows:
            event = json.loads(data)
            event["timestamp"] -= seconds
            db.execute("UPDATE events SET timestamp = ?, data = ? WHERE id = ?", (event["timestamp"], json.dumps(event), event_id))


def sessions(cluster: Cluster, sender: str) -> int:
    with database(cluster) as db:
        return int(db.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'session_started'",
                              (conversation_id(REST, sender),)).fetchone()[0])


def test_restarting_rasa_mid_interview_loses_nothing(cluster: Cluster) -> None:
    user = "restarted-mid-interview"
    server = cluster.rasa[0]
    say(server, user, "which role suits me?")
    for topic in ("goal", "interest", "strength"):
        reply = say(server, user, RESEARCH_ANSWERS[topic])
    assert asked(reply) == "education"
    server = cluster.restart(server)
    age(cluster, user, 2 * HOUR)  # and the visitor was away for two hours: still the same session
    for topic in ("education", "environment", "aspiration"):
        reply = say(server, user, RESEARCH_ANSWERS[topic])
    result = text_of(reply)
    assert RESULT in result
    assert f"“{RESEARCH_ANSWERS['goal']}”" in result  # an answer given before the restart
    assert sessions(cluster, user) == 1


def test_a_visitor_back_after_a_day_starts_a_new_session_with_the_result_kept(cluster: Cluster) -> None:
    user = "back-next-day"
    server = cluster.rasa[0]
    say(server, user, "which role suits me?")
    for topic in RESEARCH_ANSWERS:
        reply = say(server, user, RESEARCH_ANSWERS[topic])
    assert RESULT in text_of(reply)
    age(cluster, user, 25 * HOUR)
    assert RESULT in text_of(say(server, user, "what was my result?"))
    assert sessions(cluster, user) == 2
