"""End-to-end: the blind conversation set (tests/conversations/), the way users judge the assistant.

Forty-odd multi-turn conversations written without the training data, in their authors' own voice,
run against the real servers over REST; each turn says what the reply must and must not show. The
floor sits below the figure the README reports (tools/conversations.py prints it, with every miss).
"""
from __future__ import annotations

import pytest

from tools import conversations
from tools.harness.servers import Servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]

#: The share of turns that must be right: issue 15 asks for 90%.
FLOOR = 0.90


def test_the_set_is_large_enough_and_every_turn_checks_something() -> None:
    talks = conversations.load()
    assert len(talks) >= 40
    for talk in talks:
        for turn in talk["turns"]:
            assert turn.get("expect") or turn.get("reject"), (talk["id"], turn["say"])


def test_a_reply_missing_an_expected_fact_or_showing_a_rejected_one_is_wrong() -> None:
    turn = {"expect": ["(?i)ph\\.?d"], "reject": ["(?i)sorry"]}
    assert conversations.problem_with("A PhD is usually expected.", turn) is None
    assert conversations.problem_with("A master's will do.", turn) == "expected (?i)ph\\.?d"
    assert "rejected" in str(conversations.problem_with("Sorry, a PhD?", turn))


def test_most_turns_of_the_blind_conversations_are_right(servers: Servers) -> None:
    turns = conversations.run(servers.say, conversations.load())
    print(conversations.report(turns))
    assert conversations.share_right(turns) >= FLOOR, conversations.report(turns)
