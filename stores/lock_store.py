"""Rasa's Redis ticket lock store, with every read-modify-write of a lock made atomic.

Rasa 3.6's `RedisLockStore` reads a conversation's lock, changes it in Python and writes it back.
Two Rasa instances taking a ticket for the same conversation at the same moment can both read
the same lock, issue the same ticket number, and process two messages at once: one message's
events are then lost or stored twice. Here each change runs in a Redis transaction that is retried
if the lock changed meanwhile (WATCH/MULTI), so tickets are unique and served strictly in order.

endpoints.yml (server/endpoints.py writes it when REDIS_URL is set):

    lock_store:
      type: stores.lock_store.AtomicRedisLockStore
      url: ${REDIS_URL}       # redis://[:password@]host:port/db, or rediss:// for TLS
      key_prefix: career
"""
from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

import redis  # type: ignore[import-untyped]
from rasa.core.lock import TicketLock
from rasa.core.lock_store import DEFAULT_SOCKET_TIMEOUT_IN_SECONDS, LOCK_LIFETIME, LockError, RedisLockStore


class AtomicRedisLockStore(RedisLockStore):  # type: ignore[misc]
    """Ticket locks in Redis, safe for several Rasa instances or Sanic workers."""

    def __init__(self, endpoint_config: Any = None, *, url: str | None = None, key_prefix: str | None = None) -> None:
        # Rasa builds a custom lock store from its endpoint config: `url:` and `key_prefix:`.
        if endpoint_config is not None:
            url = url or endpoint_config.url
            key_prefix = key_prefix or endpoint_config.kwargs.get("key_prefix")
        if not url:
            raise ValueError("lock_store needs `url`: a Redis URL such as redis://localhost:6379/0")
        self.red = redis.Redis.from_url(url, socket_timeout=DEFAULT_SOCKET_TIMEOUT_IN_SECONDS)
        self.key_prefix = "lock:"
        if key_prefix:
            self._set_key_prefix(str(key_prefix))

    def _change(self, conversation_id: str, change: Callable[[TicketLock], Any]) -> Any:
        """Apply `change` to the stored lock (a new one if none) in one transaction; return its result."""
        key = self.key_prefix + conversation_id
        result: list[Any] = []

        def transaction(pipe: Any) -> None:
            result.clear()
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else TicketLock(conversation_id)
            result.append(change(lock))
            pipe.multi()
            if lock.is_someone_waiting():
                # Expire the key with its last ticket, so a crashed instance leaves nothing behind.
                ttl = math.ceil(max(ticket.expires for ticket in lock.tickets) - time.time()) + 1
                pipe.set(key, lock.dumps(), ex=max(ttl, 1))
            else:
                pipe.delete(key)

        self.red.transaction(transaction, key)
        return result[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime)))
        except redis.RedisError as error:
            raise LockError(f"Could not issue a ticket for conversation '{conversation_id}': {error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Removing the ticket deletes the lock when nobody else holds one, in the same transaction.
        self.finish_serving(conversation_id, ticket_number)
