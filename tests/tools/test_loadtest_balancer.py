"""How `make loadtest` shares messages between two Rasa servers (tools/loadtest.py's Balancer)."""
from __future__ import annotations

from tools.loadtest import Balancer


def test_least_conn_sends_a_message_to_the_server_with_fewer_requests_in_progress() -> None:
    balancer = Balancer(2, "least-conn")
    first = balancer.pick(0)
    assert balancer.pick(0) != first  # one in progress on `first`: the other is less busy
    balancer.done(first, answered=True)
    assert balancer.pick(0) == first  # now `first` has none in progress, the other one


def test_least_conn_takes_idle_servers_in_turn_and_counts_what_each_answered() -> None:
    balancer = Balancer(2, "least-conn")
    picked = []
    for _ in range(4):
        server = balancer.pick(0)
        picked.append(server)
        balancer.done(server, answered=server == 0)
    assert picked == [0, 1, 0, 1]
    assert balancer.served == [2, 0]  # failed requests are not counted as answered
    assert balancer.in_progress == [0, 0]


def test_a_busy_server_keeps_getting_nothing_until_it_catches_up() -> None:
    balancer = Balancer(2, "least-conn")
    slow = [balancer.pick(0) for _ in range(2)]
    assert sorted(slow) == [0, 1]
    balancer.done(1, answered=True)  # server 1 answers, server 0 is still busy
    assert balancer.pick(0) == 1
    balancer.done(1, answered=True)
    assert balancer.pick(0) == 1


def test_alternate_ignores_the_load() -> None:
    balancer = Balancer(2, "alternate")
    assert [balancer.pick(turn) for turn in range(4)] == [0, 1, 0, 1]
    assert balancer.in_progress == [2, 2]


def test_one_server_takes_everything() -> None:
    balancer = Balancer(1, "least-conn")
    assert {balancer.pick(turn) for turn in range(3)} == {0}
