"""Where a conversation's served window may start, and the dialogue state just before it.

The window starts at an `action_listen` that is directly followed by a user message, so every
turn inside it is whole. The state before that point (slots, and a paused conversation) is
written as events, which rebuild it when replayed in front of the window.

A window never starts while a form is active unless the form has run on for `max_turns` user
messages: Rasa collapses a form's happy path (`applied_events`), so the policies look back past
its turns to the turn that started the form, and that turn must still be in the window.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    ConversationPaused,
    Event,
    LoopInterrupted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker


@dataclass(frozen=True)
class Checkpoint:
    """The window starts at `index` (into the window's events); `state` rebuilds what came before."""

    index: int
    state: list[dict[str, Any]]


def state_events(tracker: DialogueStateTracker, *, timestamp: float) -> list[Event]:
    """Events that, replayed on a new tracker, give `tracker`'s slots, active form and pause."""
    events: list[Event] = [SlotSet(name, slot.value, timestamp=timestamp)
                           for name, slot in tracker.slots.items() if slot.has_been_set]
    loop = tracker.active_loop
    if loop is not None and loop.name:
        events.append(ActiveLoop(loop.name, timestamp=timestamp))
        if loop.is_interrupted:
            events.append(LoopInterrupted(True, timestamp=timestamp))
        if loop.rejected:
            events.append(ActionExecutionRejected(loop.name, timestamp=timestamp))
    if tracker.is_paused():
        events.append(ConversationPaused(timestamp=timestamp))
    return events


def _starts_turn(events: Sequence[Event], index: int) -> bool:
    event = events[index]
    return (isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME
            and index + 1 < len(events) and isinstance(events[index + 1], UserUttered))


def next_checkpoint(*, sender_id: str, slots: Any, prefix: Sequence[Event], window: Sequence[Event],
                    keep_turns: int, max_turns: int) -> Checkpoint | None:
    """The latest start for the window that keeps `keep_turns` user messages, or None to stay put.

    `prefix` rebuilds the state before `window[0]`. Cost: at most three replays of the window.
    """
    every_user = [i for i, event in enumerate(window) if isinstance(event, UserUttered)]
    if len(every_user) <= keep_turns:
        return None
    replay = DialogueStateTracker.from_events(sender_id, [*prefix, *window], slots)
    # Count the user messages the policies see: Rasa drops those a form consumed on its happy path.
    applied = {id(event) for event in replay.applied_events() if isinstance(event, UserUttered)}
    users = [i for i in every_user if id(window[i]) in applied]
    over_cap = len(every_user) > max_turns
    if len(users) > keep_turns:
        latest = users[-keep_turns] - 1
    elif over_cap:
        latest = every_user[-keep_turns] - 1
    else:
        return None
    replay = DialogueStateTracker.from_events(sender_id, prefix, slots)
    chosen: tuple[int, list[Event]] | None = None
    last_start: int | None = None
    for index, event in enumerate(window[: latest + 1]):
        if index > 0 and _starts_turn(window, index):
            if replay.active_loop is None and not replay.is_paused():
                chosen = (index, state_events(replay, timestamp=event.timestamp))
            last_start = index
        replay.update(event)
    if chosen is None and last_start is not None and over_cap:
        replay = DialogueStateTracker.from_events(sender_id, [*prefix, *window[:last_start]], slots)
        chosen = (last_start, state_events(replay, timestamp=window[last_start].timestamp))
    if chosen is None:
        return None
    return Checkpoint(index=chosen[0], state=[event.as_dict() for event in chosen[1]])
