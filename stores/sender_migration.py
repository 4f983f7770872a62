"""Rename conversations stored before ids were namespaced by channel (channels/senders.py), once per database.

Before, a REST conversation was stored under the caller's "sender" as given and a widget
conversation under its session id. Each is renamed to the id its channel now gives it, judged by
the channel of its first user message: `alice` from REST becomes `rest:alice`, so a REST caller
posting as "alice" goes on with the same conversation. A widget conversation becomes `widget:<id>`
and is kept, but an old page cannot resume it: its session id was never signed (channels/sessions.py),
so the visitor starts a new conversation. Slack conversations were already `slack:…` and stay.
Conversations whose channel is none of ours (`rasa shell`'s, the HTTP API's) stay as they are.

The renaming runs when the tracker store starts and is recorded in `career_migrations`, so it runs
once; servers starting together may both run it, and the second finds nothing left to rename.
"""
from __future__ import annotations

import contextlib
import json
import logging

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, ProgrammingError

from channels.senders import PREFIX_BY_INPUT_CHANNEL, conversation_id

NAME = "namespace-senders"

logger = logging.getLogger(__name__)

_migrations = sa.Table("career_migrations", sa.MetaData(),
                       sa.Column("name", sa.String(64), primary_key=True),
                       sa.Column("applied_at", sa.DateTime, server_default=sa.func.now(), nullable=False))


def renamed(sender_id: str, input_channel: object) -> str | None:
    """The id a conversation from `input_channel` stored as `sender_id` now has, or None if it keeps its id."""
    prefix = PREFIX_BY_INPUT_CHANNEL.get(input_channel) if isinstance(input_channel, str) else None
    if prefix is None or sender_id.startswith(f"{prefix}:"):
        return None
    return conversation_id(prefix, sender_id)


def migrate(engine: Engine, *, checkpoints: sa.Table) -> int:
    """Rename old conversations unless done before; how many were renamed."""
    with contextlib.suppress(IntegrityError, ProgrammingError):  # another server, starting at the same moment, made it
        _migrations.create(engine, checkfirst=True)
    events = SQLTrackerStore.SQLEvent.__table__
    with engine.begin() as connection:
        if connection.execute(sa.select(_migrations.c.name).where(_migrations.c.name == NAME)).first() is not None:
            return 0
        first_user_events = (sa.select(sa.func.min(events.c.id))
                             .where(events.c.type_name == "user").group_by(events.c.sender_id))
        rows = connection.execute(sa.select(events.c.sender_id, events.c.data).where(events.c.id.in_(first_user_events)))
        first_messages = list(rows)
        taken = {sender_id for sender_id, _ in first_messages}
        renames = {}
        for sender_id, data in first_messages:
            try:
                channel = json.loads(data).get("input_channel")
            except (TypeError, ValueError, AttributeError):
                continue
            new_id = renamed(sender_id, channel)
            if new_id is not None and new_id not in taken:  # never merge two conversations into one
                renames[sender_id] = new_id
        for old_id, new_id in renames.items():
            for table in (events, checkpoints):
                connection.execute(table.update().where(table.c.sender_id == old_id).values(sender_id=new_id))
        try:
            with connection.begin_nested():
                connection.execute(_migrations.insert().values(name=NAME))
        except IntegrityError:  # another server recorded it meanwhile; its renames and ours are the same
            pass
    if renames:
        logger.info("renamed %d stored conversations to their channel's id (rest:…, widget:…)", len(renames))
    return len(renames)
