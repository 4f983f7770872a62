"""Typo-tolerant role/aspect words for the spaCy entity ruler."""
from __future__ import annotations

import pytest

from bot import knowledge
from bot.lexicon import ASPECT, ROLE, Lexicon, edits1


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_kb(knowledge.load(), known_words={"kills", "carer", "scholl"})


@pytest.mark.parametrize(
    ("word", "spelling"),
    [("engineer", "engineers"), ("engineer", "enginer"), ("research", "reserch"), ("skill", "skils"),
     ("education", "educaton"), ("career", "carreer"), ("salary", "salaries")],
)
def test_plurals_and_typos_are_spellings_of_the_word(lexicon: Lexicon, word: str, spelling: str) -> None:
    assert spelling in lexicon.spellings(word)


@pytest.mark.parametrize(("word", "spelling"), [("skill", "kills"), ("career", "carer")])
def test_real_words_are_not_taken_for_typos(lexicon: Lexicon, word: str, spelling: str) -> None:
    assert spelling not in lexicon.spellings(word)


def test_short_words_are_matched_exactly(lexicon: Lexicon) -> None:
    assert "mlf" not in lexicon.spellings("mle")
    assert "mke" not in lexicon.spellings("mle")


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
