"""At most MAX_CONCURRENT_TURNS turns run at once on a server; the others wait and all are answered."""
from __future__ import annotations

import asyncio

import pytest

from server.patches.admission import DEFAULT_LIMIT, Admission, AdmissionConfigError, limit_from


class Turns:
    """Stand-in turns that note how many ran at once and the order they started in."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.started: list[int] = []

    async def turn(self, number: int) -> int:
        self.started.append(number)
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0.01)  # a database or action-server call: the loop is free meanwhile
        self.now -= 1
        return number * 10


def burst(limit: int, count: int) -> tuple[Turns, list[int]]:
    async def main() -> list[int]:
        gate = Admission(limit)
        results = await asyncio.gather(*(gate.run(lambda n=n: turns.turn(n)) for n in range(count)))
        assert (gate.running, gate.waiting) == (0, 0)
        return list(results)

    turns = Turns()
    return turns, asyncio.run(main())


def test_a_burst_runs_at_most_the_limit_at_once_and_every_turn_is_answered() -> None:
    turns, results = burst(limit=3, count=20)
    assert turns.most == 3
    assert results == [n * 10 for n in range(20)]


def test_waiting_turns_start_in_the_order_they_arrived() -> None:
    turns, _ = burst(limit=2, count=12)
    assert turns.started == list(range(12))


def test_a_failing_turn_gives_its_place_back() -> None:
    async def main() -> list[object]:
        gate = Admission(1)

        async def fails() -> None:
            raise RuntimeError("action server fault")

        async def works() -> str:
            return "answered"

        return await asyncio.gather(gate.run(fails), gate.run(works), return_exceptions=True)

    failed, answered = asyncio.run(main())
    assert isinstance(failed, RuntimeError)
    assert answered == "answered"


def test_a_waiter_cancelled_before_its_turn_never_starts_and_frees_nothing_it_did_not_hold() -> None:
    async def main() -> tuple[list[str], int]:
        gate = Admission(1)
        started: list[str] = []

        async def turn(name: str) -> None:
            started.append(name)
            await asyncio.sleep(0.02)

        first = asyncio.create_task(gate.run(lambda: turn("first")))
        second = asyncio.create_task(gate.run(lambda: turn("second")))
        await asyncio.sleep(0.005)
        second.cancel()
        await asyncio.gather(first, second, return_exceptions=True)
        await gate.run(lambda: turn("third"))
        return started, gate.waiting

    started, waiting = asyncio.run(main())
    assert started == ["first", "third"]
    assert waiting == 0


@pytest.mark.parametrize(("raw", "limit"), [("", DEFAULT_LIMIT), ("1", 1), (" 8 ", 8), ("1000", 1000)])
def test_the_limit_comes_from_the_environment(raw: str, limit: int) -> None:
    assert limit_from({"MAX_CONCURRENT_TURNS": raw}) == limit


@pytest.mark.parametrize("raw", ["0", "-2", "four", "2.5", "1001"])
def test_an_unusable_limit_is_refused_with_the_fix(raw: str) -> None:
    with pytest.raises(AdmissionConfigError, match="MAX_CONCURRENT_TURNS=.*whole number from 1 to 1000"):
        limit_from({"MAX_CONCURRENT_TURNS": raw})
