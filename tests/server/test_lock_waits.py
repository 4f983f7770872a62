"""Messages queued for one conversation: all answered, in order, each as soon as the one before ends."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore

from server.patches import lock_waits
from stores.lock_store import AtomicRedisLockStore
from tools.harness.cluster import REDIS_URL

QUEUED = 20
NEVER = 3600.0  # how long Rasa would wait between looks at the lock: a test that needed it would time out
DEADLINE = 60.0  # all the queued turns together; each takes milliseconds


@pytest.fixture(autouse=True)
def patched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LockStore, "lock", LockStore.lock)  # put Rasa's back afterwards
    lock_waits.apply()


@pytest.fixture
def redis_store() -> Iterator[AtomicRedisLockStore]:
    prefix = f"test{uuid.uuid4().hex[:10]}"
    yield AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


async def queue_turns(store: LockStore, conversation: str, count: int) -> list[str]:
    """`count` turns of one conversation started at once; what each did, in the order it happened."""
    happened: list[str] = []

    async def turn(index: int) -> None:
        async with store.lock(conversation, wait_time_in_seconds=NEVER):
            happened.append(f"{index} in")
            await asyncio.sleep(0.001)  # the turn's work, during which the others wait
            happened.append(f"{index} out")

    await asyncio.wait_for(asyncio.gather(*(turn(index) for index in range(count))), DEADLINE)
    return happened


def one_at_a_time_in_order(count: int) -> list[str]:
    return [step for index in range(count) for step in (f"{index} in", f"{index} out")]


def test_queued_turns_run_one_at_a_time_in_order_without_waiting_for_a_recheck() -> None:
    store = InMemoryLockStore()
    assert asyncio.run(queue_turns(store, "visitor", QUEUED)) == one_at_a_time_in_order(QUEUED)
    assert store.get_lock("visitor") is None  # nothing left behind


def test_the_same_with_the_redis_lock_store(redis_store: AtomicRedisLockStore) -> None:
    assert asyncio.run(queue_turns(redis_store, "visitor", QUEUED)) == one_at_a_time_in_order(QUEUED)
    assert redis_store.get_lock("visitor") is None


def test_other_conversations_do_not_wait() -> None:
    store = InMemoryLockStore()

    async def two_conversations() -> list[str]:
        happened: list[str] = []

        async def hold() -> None:
            async with store.lock("slow", wait_time_in_seconds=NEVER):
                happened.append("slow in")
                await asyncio.sleep(0.2)
                happened.append("slow out")

        async def other() -> None:
            await asyncio.sleep(0.05)
            async with store.lock("quick", wait_time_in_seconds=NEVER):
                happened.append("quick")

        await asyncio.gather(hold(), other())
        return happened

    assert asyncio.run(two_conversations()) == ["slow in", "quick", "slow out"]


def test_a_message_that_gives_up_waiting_does_not_hold_up_the_next() -> None:
    store = InMemoryLockStore()

    async def scene() -> list[str]:
        happened: list[str] = []
        release = asyncio.Event()

        async def first() -> None:
            async with store.lock("visitor", wait_time_in_seconds=NEVER):
                happened.append("first in")
                await release.wait()

        async def waiting(name: str) -> None:
            async with store.lock("visitor", wait_time_in_seconds=NEVER):
                happened.append(f"{name} in")

        tasks = [asyncio.create_task(first()), asyncio.create_task(waiting("second")), asyncio.create_task(waiting("third"))]
        await asyncio.sleep(0.05)
        tasks[1].cancel()  # the client went away
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), DEADLINE)
        return happened

    assert asyncio.run(scene()) == ["first in", "third in"]


def test_an_expired_ticket_lets_the_next_message_in_at_the_next_look_as_in_rasa() -> None:
    """A turn that outlives its ticket (LOCK_LIFETIME, 60 s in production) no longer holds the others up."""
    store = InMemoryLockStore()

    async def scene() -> list[str]:
        happened: list[str] = []

        async def stuck() -> None:
            async with store.lock("visitor", lock_lifetime=0.2, wait_time_in_seconds=0.05):
                happened.append("stuck in")
                await asyncio.sleep(1.0)
                happened.append("stuck out")

        async def next_one() -> None:
            await asyncio.sleep(0.05)
            async with store.lock("visitor", wait_time_in_seconds=0.05):
                happened.append("next in")

        await asyncio.wait_for(asyncio.gather(stuck(), next_one()), DEADLINE)
        return happened

    assert asyncio.run(scene()) == ["stuck in", "next in", "stuck out"]


def test_a_lock_that_vanished_while_waiting_is_an_error_as_in_rasa() -> None:
    store = InMemoryLockStore()

    async def scene() -> None:
        async def holder() -> None:
            async with store.lock("visitor", wait_time_in_seconds=NEVER):
                await asyncio.sleep(0.1)

        async def waiter() -> None:
            await asyncio.sleep(0.02)
            async with store.lock("visitor", wait_time_in_seconds=0.05):
                pass

        holding = asyncio.create_task(holder())
        waiting = asyncio.create_task(waiter())
        await asyncio.sleep(0.05)
        store.delete_lock("visitor")  # as when every ticket has expired
        await holding
        await waiting

    with pytest.raises(LockError):
        asyncio.run(scene())
