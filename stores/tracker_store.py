"""Rasa's SQL tracker store, serving each turn a bounded window of the conversation.

Stock Rasa rebuilds the whole conversation session from the database for every message, sends all
of it to the action server, and its policies re-featurise every earlier turn: a turn costs time in
proportion to the conversation's length. This store keeps every event in Rasa's own `events` table
(so the HTTP API's full tracker, `rasa export` and any SQL report still see everything) and adds a
checkpoint per conversation: the dialogue state at an earlier turn, as events. A conversation is
served as the checkpoint's state followed by the events since it; after each turn the checkpoint
moves on so that the window keeps the last `history_turns` user messages (more while a form is
active, up to `max_history_turns`; see stores/window.py). Our policies look back three turns
(MemoizationPolicy) or one rule's length (RulePolicy), well inside the window.

endpoints.yml (server/endpoints.py writes it):

    tracker_store:
      type: stores.tracker_store.WindowedSQLTrackerStore
      url: ${DB_URL}          # any SQLAlchemy URL: sqlite:////abs/path.db, postgresql://user:pw@host/db
      history_turns: 4
"""
from __future__ import annotations

import asyncio
import functools
import itertools
import json
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from stores import sender_migration
from stores.settings import database_url
from stores.window import next_checkpoint

DEFAULT_HISTORY_TURNS = 4
DEFAULT_MAX_HISTORY_TURNS = 30

_Base: Any = declarative_base()
_Events = SQLTrackerStore.SQLEvent

# Rasa indexes `events` by sender only; these make a window's two queries index range scans.
# (Declared on Rasa's table here; created, if missing, when the store starts.)
_WINDOW_INDEXES = (
    sa.Index("ix_events_sender_id_id", _Events.sender_id, _Events.id),
    sa.Index("ix_events_sender_id_type_name_id", _Events.sender_id, _Events.type_name, _Events.id),
)


@functools.lru_cache(maxsize=1)
def _event_classes() -> dict[str, Any]:
    """Event classes by type name, each the first that Rasa's `Event.resolve_by_type` would find."""
    classes: dict[str, Any] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)
    return classes


def deserialise(serialised: Iterable[dict[str, Any]]) -> list[Event]:
    """Rasa's `deserialise_events`, minus a walk over every Event subclass per event (measured: see docs/performance.md, Load)."""
    events = []
    for data in serialised:
        if "event" not in data:
            continue
        cls = _event_classes().get(data["event"])
        event = cls._from_parameters(data) if cls is not None else Event.from_parameters(data)  # unknown: Rasa's error
        if event is not None:
            events.append(event)
    return events


class CheckpointRow(_Base):  # type: ignore[misc]
    """Where a conversation's window starts (an `events.id`) and the state before it (JSON events)."""

    __tablename__ = "conversation_checkpoints"
    sender_id = sa.Column(sa.String(255), primary_key=True)
    event_id = sa.Column(sa.Integer, nullable=False)
    state = sa.Column(sa.Text, nullable=False)


class WindowedTracker(DialogueStateTracker):  # type: ignore[misc]
    """A tracker served by the store, which knows which of its events are stored already."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix_events = 0  # events[:prefix_events] rebuild the state at the checkpoint
        self.stored_events = 0  # events[:stored_events] are in the database (or are the prefix)
        self.event_ids: list[int] = []  # database ids of events[prefix_events:stored_events]


class WindowedSQLTrackerStore(SQLTrackerStore):  # type: ignore[misc]
    """SQL tracker store (SQLite or PostgreSQL) that serves a bounded window plus the current state."""

    def __init__(self, domain: Any = None, host: str | None = None, event_broker: Any = None, *,
                 history_turns: int | str = DEFAULT_HISTORY_TURNS,
                 max_history_turns: int | str = DEFAULT_MAX_HISTORY_TURNS, **kwargs: Any) -> None:
        # `url:` in endpoints.yml reaches a custom tracker store as `host`.
        if not host:
            raise ValueError("tracker_store needs `url`: an SQLAlchemy database URL (see server/endpoints.py)")
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        self.history_turns = int(history_turns)
        self.max_history_turns = max(int(max_history_turns), self.history_turns)
        if self.history_turns < 2:
            raise ValueError(f"tracker_store history_turns must be at least 2, not {history_turns}")
        url = database_url(host)
        self.engine = sa.create_engine(url, **create_engine_kwargs(url))
        self._create_tables()
        sender_migration.migrate(self.engine, checkpoints=CheckpointRow.__table__)
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _create_tables(self) -> None:
        # Instances starting together may race to create the tables; the loser finds them made.
        for attempt in range(3):
            try:
                self.Base.metadata.create_all(self.engine)
                _Base.metadata.create_all(self.engine)
                for index in _WINDOW_INDEXES:
                    index.create(self.engine, checkfirst=True)
                return
            except (IntegrityError, ProgrammingError):
                if attempt == 2:
                    raise

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        return WindowedTracker(sender_id, self.domain.slots, max_event_history=self.max_event_history)

    # The database is called from a worker thread: a round trip (a commit waits for the disk) would
    # otherwise stop the server's event loop, and every other conversation on the server with it.
    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's state at the checkpoint, then every event since it."""
        return await asyncio.to_thread(self._retrieve_now, sender_id)

    def _retrieve_now(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            prefix, rows = self._window(session, sender_id)
        if not rows:
            return None
        events = deserialise([*prefix, *(json.loads(data) for _, data in rows)])
        tracker = cast(WindowedTracker, WindowedTracker.from_events(sender_id, events, self.domain.slots))
        tracker.prefix_events = len(prefix)
        tracker.stored_events = len(events)
        tracker.event_ids = [event_id for event_id, _ in rows]
        return tracker

    def _window(self, session: Session, sender_id: str) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
        session_start = (session.query(sa.func.max(_Events.id))
                         .filter(_Events.sender_id == sender_id, _Events.type_name == SessionStarted.type_name)
                         .scalar())
        checkpoint = session.get(CheckpointRow, sender_id)
        start, prefix = session_start, []
        if checkpoint is not None and (session_start is None or checkpoint.event_id > session_start):
            start, prefix = checkpoint.event_id, json.loads(checkpoint.state)
        query = session.query(_Events.id, _Events.data).filter(_Events.sender_id == sender_id)
        if start is not None:
            query = query.filter(_Events.id >= start)
        return prefix, [(int(event_id), str(data)) for event_id, data in query.order_by(_Events.id)]

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's new events and move its conversation's checkpoint forward."""
        await self.stream_events(tracker)
        await asyncio.to_thread(self._save_now, tracker)

    def _save_now(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            if not isinstance(tracker, WindowedTracker):
                # Not served by this store (e.g. built by the HTTP API): Rasa's own bookkeeping.
                self._insert(session, tracker.sender_id, self._additional_events(session, tracker))
                session.commit()
                return
            rows = self._insert(session, tracker.sender_id, itertools.islice(tracker.events, tracker.stored_events, None))
            session.flush()
            tracker.event_ids.extend(row.id for row in rows)
            self._move_checkpoint(session, tracker)
            session.commit()
        tracker.stored_events = len(tracker.events)

    def _insert(self, session: Session, sender_id: str, events: Iterable[Event]) -> list[Any]:
        rows = []
        for event in events:
            data = event.as_dict()
            rows.append(self.SQLEvent(
                sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                action_name=data.get("name"), data=json.dumps(data),
            ))
        session.add_all(rows)
        return rows

    def _move_checkpoint(self, session: Session, tracker: WindowedTracker) -> None:
        events = list(tracker.events)
        checkpoint = next_checkpoint(
            sender_id=tracker.sender_id, slots=self.domain.slots,
            prefix=events[: tracker.prefix_events], window=events[tracker.prefix_events:],
            keep_turns=self.history_turns, max_turns=self.max_history_turns,
        )
        if checkpoint is not None:
            session.merge(CheckpointRow(sender_id=tracker.sender_id, event_id=tracker.event_ids[checkpoint.index],
                                        state=json.dumps(checkpoint.state)))
