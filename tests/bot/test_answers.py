"""Answers composed from the knowledge base: right facts, short, with useful buttons."""
from __future__ import annotations

import pytest

from bot import answers, knowledge


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


def test_role_aspect_lists_the_points(kb: knowledge.KnowledgeBase) -> None:
    answer = answers.role_aspect(kb, kb.role("ai_engineer"), kb.aspect("programming"))
    assert answer.response == "utter_role_aspect"
    assert "TensorFlow" in answer.values["points"] and "Scala" in answer.values["points"]
    assert "PhD" not in answer.values["points"]
    assert answer.values["role"] == "AI Engineer"


def test_answers_fit_a_chat_bubble(kb: knowledge.KnowledgeBase) -> None:
    for role in kb.roles:
        for aspect in kb.aspects.values():
            if aspect.id == "overview":
                continue
            answer = answers.role_aspect(kb, role, aspect)
            assert len(answer.values["points"]) < 700, (role.id, aspect.id)
            assert len(answer.buttons) <= answers.MAX_BUTTONS


def test_detail_is_held_back_until_asked(kb: knowledge.KnowledgeBase) -> None:
    scientist, duties = kb.role("ai_research_scientist"), kb.aspect("responsibilities")
    short = answers.role_aspect(kb, scientist, duties)
    long = answers.more(kb, scientist, duties, detail_shown=False)
    assert "journals" not in short.values["points"] and "journals" in long.values["points"]
    assert long.detailed and not short.detailed


def test_more_after_the_detail_moves_on(kb: knowledge.KnowledgeBase) -> None:
    scientist = kb.role("ai_research_scientist")
    nxt = answers.more(kb, scientist, kb.aspect("responsibilities"), detail_shown=True)
    assert nxt.aspect == "skills"


def test_compare_aspect_has_a_line_per_role(kb: knowledge.KnowledgeBase) -> None:
    answer = answers.compare_aspect(kb, kb.aspect("education"))
    lines = answer.values["lines"].splitlines()
    assert len(lines) == 2
    assert "PhD" in lines[0] and "bachelor's" in lines[1]


def test_full_comparison_contrasts_theory_and_practice(kb: knowledge.KnowledgeBase) -> None:
    text = answers.compare_all(kb).values["lines"]
    assert "Theory" in text and "production" in text


def test_menu_offers_each_role_within_the_button_limit(kb: knowledge.KnowledgeBase) -> None:
    menu = answers.menu(kb)
    titles = [b.title for b in menu.buttons]
    assert "What does an AI Engineer do?" in titles
    assert len(titles) <= answers.MAX_BUTTONS


def test_uncovered_topic_is_named_and_alternatives_offered(kb: knowledge.KnowledgeBase) -> None:
    answer = answers.uncovered(kb, "pay")
    assert answer.values["topic"] == "pay and salaries"
    assert "career path" in answer.values["covered"]


def test_a_brief_keeps_the_capitals_inside_it() -> None:
    kb = knowledge.load()
    line = answers.brief(kb.role("ai_research_scientist"), kb.aspect("development"))
    assert "PhD" in line and line[0].isupper()


def test_no_side_by_side_line_is_just_a_label() -> None:
    kb = knowledge.load()
    labels = {a.title.lower() for a in kb.aspects.values()} | {"career goals and interests and strengths."}
    for aspect in kb.aspects.values():
        for line in answers.compare_aspect(kb, aspect).values["lines"].splitlines():
            fact = line.split(": ", 1)[1]
            assert fact.lower() not in labels and len(fact.split()) >= 4, line
    suits = answers.compare_aspect(kb, kb.aspect("choose")).values["lines"]
    assert "passionate about exploring new theories" in suits and "build practical solutions" in suits
    short = answers.short(kb, kb.role("ai_engineer"), kb.aspect("choose")).values["short"]
    assert "practical solutions" in short


def test_overviews_and_comparisons_fit_a_phone_screen() -> None:
    import yaml

    from tests.conftest import ROOT

    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    kb = knowledge.load()

    def words(answer: answers.Answer) -> int:
        return len(responses[answer.response][0]["text"].format(**answer.values).split())

    first_answers = [answers.overview(kb, r) for r in kb.roles] + [answers.compare_all(kb)]
    first_answers += [answers.compare_aspect(kb, a) for a in kb.aspects.values()]
    assert max(words(a) for a in first_answers) <= 80  # two roles side by side
    assert all(words(answers.overview(kb, r)) <= 60 for r in kb.roles)
