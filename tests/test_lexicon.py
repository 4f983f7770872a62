"""Typo-tolerant role/aspect words, shared by the spaCy ruler and the resolver."""
from __future__ import annotations

import pytest

from bot import knowledge
from bot.lexicon import ASPECT, ROLE, Lexicon, edits1


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_kb(knowledge.load(), known_words={"kills", "carer", "scholl"})


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        (ROLE, "AI engineers", "ai_engineer"),
        (ROLE, "ai enginer", "ai_engineer"),
        (ROLE, "MLE", "ai_engineer"),
        (ROLE, "reserch scientist", "ai_research_scientist"),
        (ROLE, "AI Researchers", "ai_research_scientist"),
        (ASPECT, "skils", "skills"),
        (ASPECT, "educaton", "education"),
        (ASPECT, "carreer path", "career"),
        (ASPECT, "salaries", "pay"),
        (ASPECT, "frameworks", "programming"),
    ],
)
def test_resolves_names_plurals_and_typos(lexicon: Lexicon, label: str, text: str, expected: str) -> None:
    assert lexicon.resolve(label, text) == expected


@pytest.mark.parametrize("text", ["kills", "astronaut", "", "mle mle mle"])
def test_real_words_and_strangers_are_not_matched(lexicon: Lexicon, text: str) -> None:
    assert lexicon.resolve(ASPECT, text) is None
    assert lexicon.resolve(ROLE, text) is None


def test_short_words_are_matched_exactly(lexicon: Lexicon) -> None:
    assert lexicon.resolve(ROLE, "mlf") is None
    assert lexicon.resolve(ROLE, "mle") == "ai_engineer"


def test_patterns_cover_every_phrase_with_typo_sets(lexicon: Lexicon) -> None:
    patterns = lexicon.patterns(str.split)
    ids = {(p["label"], p["id"]) for p in patterns}
    assert (ROLE, "ai_engineer") in ids and (ASPECT, "pay") in ids
    two_words = [p["pattern"] for p in patterns if p["id"] == "ai_engineer" and len(p["pattern"]) == 2
                 and p["pattern"][0].get("LOWER") == "ai"]
    second = [set(tokens[1]["LOWER"]["IN"]) for tokens in two_words if "IN" in tokens[1]["LOWER"]]
    assert any({"engineer", "enginer", "engineers", "enigneers"} <= s for s in second)


def test_edits1_contains_the_usual_slips() -> None:
    variants = edits1("skills")
    assert {"skils", "sklils", "skillz", "sskills"} <= variants
