"""The atomic Redis lock store, against this machine's Redis: unique tickets, served in order."""
from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockError

from stores.lock_store import AtomicRedisLockStore
from tools.harness.cluster import REDIS_URL


@pytest.fixture
def prefix() -> Iterator[str]:
    prefix = f"test{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_tickets_taken_at_once_by_many_instances_are_unique(prefix: str) -> None:
    stores = [AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix) for _ in range(8)]
    tickets: list[int] = []
    start = threading.Barrier(len(stores))

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(25):
            tickets.append(store.issue_ticket("one-conversation", 60))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(len(stores) * 25))


def test_a_second_instance_waits_its_turn_and_the_lock_is_removed_after(prefix: str) -> None:
    first, second = (AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix) for _ in range(2))
    order: list[str] = []

    async def hold(store: AtomicRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock("visitor", wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(0.3)
            order.append(f"{name} out")

    async def both() -> None:
        await asyncio.gather(hold(first, "first", 0), hold(second, "second", 0.05))

    asyncio.run(both())
    assert order == ["first in", "first out", "second in", "second out"]
    assert first.get_lock("visitor") is None
    assert not redis.Redis.from_url(REDIS_URL).exists(f"{prefix}:lock:visitor")


def test_a_held_lock_expires_with_its_ticket(prefix: str) -> None:
    store = AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix)
    store.issue_ticket("crashed", 2)
    ttl = redis.Redis.from_url(REDIS_URL).ttl(f"{prefix}:lock:crashed")
    assert 0 < ttl <= 3


def test_an_unreachable_redis_is_a_lock_error_naming_the_conversation() -> None:
    store = AtomicRedisLockStore(url="redis://127.0.0.1:1/0")
    with pytest.raises(LockError, match="visitor"):
        store.issue_ticket("visitor")
