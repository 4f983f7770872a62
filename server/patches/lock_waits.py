"""A message queued behind another of its conversation starts as soon as that one ends, not up to a second later.

Rasa handles the messages of one conversation one at a time, in the order they came, with a ticket
lock (rasa.core.lock_store.LockStore.lock): each message takes a ticket and waits for its turn. A
waiting message looked again only once a second (`wait_time_in_seconds`), so fifty messages queued
for one sender took fifty seconds, nearly all of it waiting for a lock that was free.

Here a turn that ends wakes the messages waiting for its conversation in this process at once. They
still look again at Rasa's interval for what no one here can tell them about: a turn ending on
another Rasa server (the Redis lock store, stores/lock_store.py) or a ticket expiring. Tickets,
their order and their lifetime are Rasa's, in every lock store.
"""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from weakref import WeakKeyDictionary

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

from server.patches.target import Target

TARGETS = (Target(LockStore, "lock", ("self", "conversation_id", "lock_lifetime", "wait_time_in_seconds"), __name__),)


class TurnsEnded:
    """Wakes the messages waiting for a conversation when one of its turns ends in this process."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}  # only while someone waits: the turn that ends removes it

    def next_end(self, conversation_id: str) -> asyncio.Event:
        """Set when the next turn of this conversation ends (take it before looking at the lock)."""
        return self._events.setdefault(conversation_id, asyncio.Event())

    def ended(self, conversation_id: str) -> None:
        event = self._events.pop(conversation_id, None)
        if event is not None:
            event.set()


_turns_ended: WeakKeyDictionary[LockStore, TurnsEnded] = WeakKeyDictionary()


@asynccontextmanager
async def lock(self: LockStore, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
               wait_time_in_seconds: float = 1) -> AsyncIterator[TicketLock]:
    """Rasa's ticket lock for `conversation_id`, entered as soon as the turn before ends here."""
    turns_ended = _turns_ended.setdefault(self, TurnsEnded())
    ticket = self.issue_ticket(conversation_id, lock_lifetime)
    try:
        yield await _turn(self, turns_ended, conversation_id, ticket, recheck=wait_time_in_seconds)
    finally:
        self.cleanup(conversation_id, ticket)
        turns_ended.ended(conversation_id)


async def _turn(store: LockStore, turns_ended: TurnsEnded, conversation_id: str, ticket: int, *,
                recheck: float) -> TicketLock:
    while True:
        next_end = turns_ended.next_end(conversation_id)
        lock = store.get_lock(conversation_id)
        if lock is None:  # as in Rasa: our ticket expired, and with it the lock
            raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
        if not lock.is_locked(ticket):
            return lock
        try:
            await asyncio.wait_for(next_end.wait(), recheck)
        except asyncio.TimeoutError:
            store.update_lock(conversation_id)  # as Rasa does after each wait: drop expired tickets


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Replace Rasa's lock by ours (the same function each time)."""
    LockStore.lock = lock  # type: ignore[assignment]
