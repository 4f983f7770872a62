"""Reading the stored conversations: Rasa's `events` table, with the same SQL on SQLite and PostgreSQL.

Every event of every conversation is a row (rasa.core.tracker_store.SQLTrackerStore.SQLEvent, which
stores/tracker_store.py keeps): its type, time, the intent of a user message or the name of an
action or slot, and the whole event as JSON. The report reads a period in two queries so that it
parses little JSON: the first reads every event it needs by its columns, with the JSON of the few
slots it counts only, and whether a user message is a button's payload (its text starts with "/");
then the text of just the messages it could not answer is read, and the metadata of the few bot
messages sent outside any turn (the apology for a failed action is one).
"""
from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

#: Rasa's table, declared here so that reading it needs no Rasa.
EVENTS = sa.Table(
    "events", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

USER, BOT, ACTION, SLOT, SESSION_STARTED, RESTART = "user", "bot", "action", "slot", "session_started", "restart"
#: The metadata key server/patches/faults.py puts on its apology: the message that went unanswered.
UNANSWERED_KEY = "unanswered_message"
#: A slot event's JSON ends with its value (Rasa's SlotSet.as_dict), which is read without parsing the rest.
_VALUE_KEY = '"value": '
_NULL_AT_END = _VALUE_KEY + "null}"

#: How many ids one `IN (...)` names (SQLite allows 999 parameters in a statement).
CHUNK = 500


@dataclass(frozen=True)
class Period:
    """From `since` (included) to `until` (excluded), as Unix times in seconds."""

    since: float
    until: float

    @classmethod
    def between(cls, since: datetime, until: datetime) -> Period:
        if until <= since:
            raise ValueError(f"the period ends ({until:%Y-%m-%d %H:%M}) before it starts ({since:%Y-%m-%d %H:%M})")
        return cls(since.timestamp(), until.timestamp())

    @classmethod
    def of_days(cls, since: str | None, until: str | None, *, days: int, now: datetime) -> Period:
        """From `since` to `until` (YYYY-MM-DD, UTC, both days included); by default the `days` days up to `now`."""
        end = (datetime.combine(_day(until, "until"), time.min, tzinfo=timezone.utc) + timedelta(days=1)) if until else now
        start = datetime.combine(_day(since, "since"), time.min, tzinfo=timezone.utc) if since else end - timedelta(days=days)
        return cls.between(start, end)

    def describe(self) -> str:
        start, end = (datetime.fromtimestamp(t, tz=timezone.utc) for t in (self.since, self.until))
        return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{name} {text!r}: write a date as YYYY-MM-DD") from None


class Row(NamedTuple):
    """One stored event, as much of it as the report uses (a tuple: hundreds of thousands are read at once).

    `name` is the intent of a user message, or the name of an action or a slot; `value` is a
    slot's value; `payload` marks a user message that is a button's payload, not typed words.
    """

    id: int
    sender: str
    kind: str
    timestamp: float
    name: str | None
    value: Any = None
    payload: bool = False


def read(engine: Engine, period: Period, *, actions: Collection[str], slots: Collection[str]) -> Iterator[Row]:
    """The period's events that the report uses (these actions, these slots), in the order they were stored."""
    events = EVENTS.c
    counted_slot = sa.and_(events.type_name == SLOT, events.action_name.in_(sorted(slots)))
    # The message text, at the top level and in its parse data, starts with "/" only for a payload.
    payload = sa.and_(events.type_name == USER, events.data.like('%"text": "/%'))
    query = (
        sa.select(events.id, events.sender_id, events.type_name, events.timestamp, events.intent_name, events.action_name,
                  sa.case((counted_slot, events.data), else_=sa.null()), sa.case((payload, 1), else_=0))
        .where(events.timestamp >= period.since, events.timestamp < period.until,
               sa.or_(events.type_name.in_((USER, BOT, SESSION_STARTED, RESTART)),
                      sa.and_(events.type_name == ACTION, events.action_name.in_(sorted(actions))), counted_slot))
        .order_by(events.id)
    )
    for event_id, sender, kind, timestamp, intent, action, data, is_payload in _fetch_all(engine, query):
        if data is None:
            yield Row(event_id, sender, kind, timestamp or 0.0, intent if kind == USER else action, None, is_payload == 1)
        else:
            yield Row(event_id, sender, kind, timestamp or 0.0, action, slot_value(data))


def _fetch_all(engine: Engine, query: sa.sql.Select) -> list[tuple[Any, ...]]:
    """Every row of `query`, at once (a long read would hold up SQLite's writers), through the driver's own cursor.

    SQLAlchemy's result rows cost as much again as the query itself over hundreds of thousands of
    rows (measured: docs/insights.md); the SQL is still SQLAlchemy's, compiled for the database.
    Its values are the report's own (times, names), written into it as literals.
    """
    sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    driver_error = engine.dialect.dbapi.Error
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        cursor.close()
        return rows
    except driver_error as error:  # as SQLAlchemy itself would raise it
        raise sa.exc.DBAPIError.instance(sql, None, error, driver_error) from error
    finally:
        connection.close()


def slot_value(data: str) -> Any:
    """The value of a stored slot event: read from the end of its JSON when that is where it is, else parsed whole."""
    if data.endswith(_NULL_AT_END):
        return None  # a reset, the commonest value
    _, found, tail = data.rpartition(_VALUE_KEY)
    raw = tail[:-1] if found and tail.endswith("}") else ""
    if raw.startswith('"') and raw.endswith('"') and raw.count('"') == 2 and "\\" not in raw:
        return raw[1:-1]  # a plain string, the common case: an id
    if raw and not raw.startswith("{"):
        try:
            return json.loads(raw)  # a number, true, false or a list
        except ValueError:
            pass
    return json.loads(data).get("value")


def apologies(engine: Engine, event_ids: Iterable[int]) -> set[int]:
    """Which of these bot messages are the apology for a failed action (server/patches/faults.py marks it in its metadata)."""
    found: set[int] = set()
    with engine.connect() as connection:
        for chunk in _chunks(sorted(set(event_ids))):
            for event_id, data in connection.execute(sa.select(EVENTS.c.id, EVENTS.c.data).where(EVENTS.c.id.in_(chunk))):
                metadata = (json.loads(data).get("metadata") if data else None) or {}
                if UNANSWERED_KEY in metadata:
                    found.add(int(event_id))
    return found


def user_texts(engine: Engine, event_ids: Iterable[int]) -> dict[int, str]:
    """The text of each of these user messages, by event id."""
    wanted = sorted(set(event_ids))
    texts: dict[int, str] = {}
    with engine.connect() as connection:
        for chunk in _chunks(wanted):
            query = sa.select(EVENTS.c.id, EVENTS.c.data).where(EVENTS.c.id.in_(chunk))
            for event_id, data in connection.execute(query):
                text = json.loads(data).get("text") if data else None
                texts[int(event_id)] = text if isinstance(text, str) else ""
    return texts


def seen_before(engine: Engine, period: Period, senders: Iterable[str]) -> set[str]:
    """The conversations among `senders` that had a user message before the period."""
    events = EVENTS.c
    found: set[str] = set()
    with engine.connect() as connection:
        for chunk in _chunks(sorted(set(senders))):
            query = (sa.select(events.sender_id).distinct()
                     .where(events.sender_id.in_(chunk), events.type_name == USER, events.timestamp < period.since))
            found.update(sender for (sender,) in connection.execute(query))
    return found


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
