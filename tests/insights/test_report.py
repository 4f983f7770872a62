"""Known conversations in a tracker store give exactly the expected figures, on SQLite and on PostgreSQL.

The store is made by the Rasa server's own tracker store class (Rasa's `events` table and its
indexes), and filled with the events the server writes for each kind of turn (tools/insights_sample.py;
tests/insights/test_real_conversations.py checks those against the real server's).
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain

from insights.figures import Figures
from insights.report import Insights, build
from stores.tracker_store import WindowedSQLTrackerStore
from tests.support import known_conversations as known
from tools.harness.cluster import fresh_postgres_database
from tools.insights_sample import write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def insights(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Insights]:
    def report(url: str) -> Insights:
        store = WindowedSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")), host=url)  # Rasa's table, as served
        write(store.engine, known.scripts())
        return build(sa.create_engine(url), known.PERIOD)

    if request.param == "sqlite":
        yield report(f"sqlite:///{tmp_path_factory.mktemp('insights') / 'conversations.db'}")
    else:
        with fresh_postgres_database() as url:
            yield report(url)


def counts(items: tuple[object, ...]) -> dict[str, int]:
    return {item.label: item.count for item in items if item.count}  # type: ignore[attr-defined]


@pytest.mark.parametrize("channel", ["all", "rest", "widget", "slack"])
def test_conversations_messages_and_returning_people_per_channel(insights: Insights, channel: str) -> None:
    figures = insights.channel(channel)
    assert (figures.conversations, figures.messages, figures.returning) == (
        known.CONVERSATIONS[channel], known.MESSAGES[channel], known.RETURNING[channel])


def test_what_people_ask(insights: Insights) -> None:
    figures = insights.channel("all")
    assert counts(figures.intents) == known.INTENTS
    assert [c.label for c in figures.intents][:2] == ["inform", "ask_aspect"]  # most asked first
    assert counts(figures.roles) == known.ROLES
    assert counts(figures.aspects) == known.ASPECTS
    assert counts(figures.comparisons) == known.COMPARISONS


def test_what_it_could_not_answer_is_grouped_counted_and_masked(insights: Insights) -> None:
    figures = insights.channel("all")
    assert counts(figures.unanswered_by_kind) == known.UNANSWERED_BY_KIND
    assert [(u.kind, u.label, u.count, u.conversations, u.examples) for u in figures.unanswered] == known.UNANSWERED
    assert "jo.doe@example.com" not in repr(insights) and "7946" not in repr(insights)


def test_each_channel_counts_only_its_own_unanswered_messages(insights: Insights) -> None:
    rest, widget = insights.channel("rest"), insights.channel("widget")
    assert [(u.label, u.count) for u in rest.unanswered if u.kind == "out of scope"] == [("what is the weather today?", 2)]
    assert [(u.label, u.count, u.examples) for u in widget.unanswered if u.kind == "out of scope"] == [
        ("mail me at [e-mail] or call [phone]", 1, ("mail me at [e-mail] or call [phone]",)),
        ("what is the weather today?", 1, ("weather today?",))]
    assert counts(rest.unanswered_by_kind) == {"out of scope": 2, "not understood": 1, "declined": 1}


def test_the_interview_funnel(insights: Insights) -> None:
    funnel = insights.channel("all").funnel
    assert (funnel.started, funnel.completed, funnel.stopped, funnel.started_over, funnel.unfinished) == (3, 2, 1, 0, 0)
    assert [(q.asked, q.answered, q.stopped, q.unfinished) for q in funnel.questions] == known.FUNNEL_QUESTIONS
    assert [q.label for q in funnel.questions][2] == "strengths"  # stopped at question 3
    assert (funnel.by_button, funnel.typed, funnel.earlier, funnel.reasked) == (12, 2, 0, 1)
    rest = insights.channel("rest").funnel
    assert (rest.started, rest.completed, rest.stopped) == (2, 1, 1)


def test_recommendations_and_their_scores(insights: Insights) -> None:
    results = insights.channel("all").results
    assert results.total == 2  # the result carried into the returning visit's new session is not counted again
    assert counts(results.verdicts) == {k: v for k, v in known.VERDICTS.items() if v}
    assert dict(results.distribution) == known.DISTRIBUTION


def test_reply_times_and_apologies(insights: Insights) -> None:
    speed: Figures = insights.channel("all")
    assert (speed.speed.turns, speed.speed.p50_ms, speed.speed.p95_ms) == (36, 150, 1000)
    assert speed.speed.apologies == 1 and speed.speed.apology_share == pytest.approx(1 / 37)
    assert insights.channel("rest").speed.apologies == 0


def test_nothing_outside_the_period_counts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    write(sa.create_engine(url), known.scripts())
    later = build(sa.create_engine(url), type(known.PERIOD)(known.PERIOD.until, known.PERIOD.until + 86400))
    assert later.channel("all").conversations == 0 and later.channel("all").unanswered == ()
    before = build(sa.create_engine(url), type(known.PERIOD)(known.PERIOD.since - 5 * 86400, known.PERIOD.since))
    assert (before.channel("all").conversations, before.channel("all").messages) == (1, 1)  # the early visit alone
