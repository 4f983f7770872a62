"""Messages that say much the same are one line: many phrasings of one request group together, other requests stay apart."""
from __future__ import annotations

import pytest

from insights import grouping
from tools.insights_grouping import MEASURING_SET, lexical, measuring_set, score


def groups_of(texts: list[str], **kwargs: float) -> list[set[str]]:
    return [{texts[i] for i in g.members} for g in grouping.group(texts, **kwargs)]  # type: ignore[arg-type]


def test_phrasings_of_one_request_are_one_group_and_other_requests_stay_apart() -> None:
    weather = ["what's the weather today", "what is the weather today?", "Weather today?", "what is the weather like today?"]
    jokes = ["tell me a joke", "can you tell me a joke"]
    flights = ["book me a flight to berlin", "book a flight to paris for friday"]
    found = groups_of([*weather, *jokes, "hmm maybe", *flights, "hmm maybe"])
    assert found == [set(weather), set(jokes), {"hmm maybe"}, set(flights)]  # biggest first, then first seen


def test_the_same_words_in_another_case_or_with_other_punctuation_count_as_the_same() -> None:
    texts = ["Salary?", "salary", "  SALARY!! ", "what time is it"]
    [first, second] = grouping.group(texts)
    assert first.members == (0, 1, 2) and second.members == (3,)
    assert grouping.normalised("  SALARY!! ") == "salary"


def test_the_headline_is_the_phrasing_closest_to_the_rest_counting_repeats() -> None:
    texts = ["what is the weather today", "what is the weather today", "weather", "what is the weather like today",
             "what's the weather today"]
    [only] = grouping.group(texts)
    assert texts[only.representative] == "what is the weather today"


def test_rare_messages_beyond_the_clustered_ones_join_the_group_they_are_closest_to(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["tell me a joke"] * 3 + ["what's the weather today"] * 3 + ["can you tell me a joke", "book a table for two"]
    monkeypatch.setattr(grouping, "MAX_CLUSTERED", 2)
    found = groups_of(texts)
    assert found == [{"tell me a joke", "can you tell me a joke"}, {"what's the weather today"}, {"book a table for two"}]


def test_nothing_or_one_message() -> None:
    assert grouping.group([]) == []
    assert grouping.group(["hello"]) == [grouping.Group(members=(0,), representative=0)]


@pytest.mark.skipif(not MEASURING_SET.exists(), reason=f"the measuring set is not here: {MEASURING_SET}")
def test_on_120_known_everyday_requests_the_grouping_keeps_its_measured_quality() -> None:
    """Pairwise F1 0.55 and V-measure 0.86 at the shipped threshold (docs/insights.md); the floor is a little below."""
    texts, labels = measuring_set()
    found = score(labels, lexical(texts, grouping.THRESHOLD))
    assert found.f1 >= 0.52 and found.v_measure >= 0.84
    assert 250 <= found.groups <= 450  # about three lines per request, not one per message
