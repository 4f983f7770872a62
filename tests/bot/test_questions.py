"""Working out what a role question asks, including follow-ups that lean on context."""
from __future__ import annotations

import pytest

from bot import knowledge
from bot.questions import Context, Kind, Query, interpret

RS, EN = "ai_research_scientist", "ai_engineer"
NO_CONTEXT = Context()


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


def ask(kb: knowledge.KnowledgeBase, intent: str, roles: list[str] = [], aspects: list[str] = [],
        context: Context = NO_CONTEXT) -> Query:
    return interpret(intent=intent, roles=roles, aspects=aspects, context=context, kb=kb)


def test_overview_of_a_named_role(kb: knowledge.KnowledgeBase) -> None:
    assert ask(kb, "ask_role_overview", [EN]) == Query(Kind.OVERVIEW, role=EN, aspect="overview")


def test_aspect_question_uses_the_role_in_context(kb: knowledge.KnowledgeBase) -> None:
    query = ask(kb, "ask_aspect", [], ["skills"], Context(role=EN, aspect="overview"))
    assert query == Query(Kind.ROLE_ASPECT, role=EN, aspect="skills")


def test_followup_switches_role_and_keeps_aspect(kb: knowledge.KnowledgeBase) -> None:
    query = ask(kb, "ask_followup", [RS], [], Context(role=EN, aspect="skills"))
    assert query == Query(Kind.ROLE_ASPECT, role=RS, aspect="skills")


def test_followup_without_a_role_means_the_other_one(kb: knowledge.KnowledgeBase) -> None:
    query = ask(kb, "ask_followup", [], [], Context(role=EN, aspect="education"))
    assert query == Query(Kind.ROLE_ASPECT, role=RS, aspect="education")


def test_followup_with_no_context_asks_which_role(kb: knowledge.KnowledgeBase) -> None:
    assert ask(kb, "ask_followup").kind is Kind.ASK_ROLE


def test_aspect_with_no_role_anywhere_answers_for_both(kb: knowledge.KnowledgeBase) -> None:
    assert ask(kb, "ask_aspect", [], ["education"]) == Query(Kind.COMPARE_ASPECT, aspect="education")


def test_specific_aspect_beats_overview(kb: knowledge.KnowledgeBase) -> None:
    query = ask(kb, "ask_aspect", [RS], ["overview", "projects"])
    assert query == Query(Kind.ROLE_ASPECT, role=RS, aspect="projects")


def test_two_roles_named_means_compare(kb: knowledge.KnowledgeBase) -> None:
    assert ask(kb, "ask_aspect", [RS, EN], ["education"]).kind is Kind.COMPARE_ASPECT
    assert ask(kb, "ask_role_overview", [RS, EN]).kind is Kind.COMPARE_ALL


def test_compare_uses_the_aspect_just_discussed(kb: knowledge.KnowledgeBase) -> None:
    assert ask(kb, "compare_roles", [], [], Context(role=EN, aspect="career")) == Query(
        Kind.COMPARE_ASPECT, aspect="career"
    )
    assert ask(kb, "compare_roles", [RS, EN], [], Context(role=EN, aspect="career")).kind is Kind.COMPARE_ALL


def test_pay_is_answered_honestly(kb: knowledge.KnowledgeBase) -> None:
    query = ask(kb, "ask_aspect", [EN], ["pay"])
    assert query.kind is Kind.UNCOVERED and query.topic == "pay"


def test_unknown_ids_are_ignored(kb: knowledge.KnowledgeBase) -> None:
    query = ask(kb, "ask_aspect", ["astronaut"], ["skills"], Context(role="gone", aspect="nope"))
    assert query == Query(Kind.COMPARE_ASPECT, aspect="skills")


def test_a_neighbouring_job_is_answered_with_its_nearest_role(kb: knowledge.KnowledgeBase) -> None:
    query = interpret(intent="ask_aspect", roles=[], aspects=["skills"], context=NO_CONTEXT, kb=kb, related=["data_scientist"])
    assert query == Query(Kind.ROLE_ASPECT, role=EN, aspect="skills", related="data_scientist")


def test_a_named_role_wins_over_a_neighbouring_job(kb: knowledge.KnowledgeBase) -> None:
    query = interpret(intent="compare_roles", roles=[RS], aspects=[], context=NO_CONTEXT, kb=kb, related=["data_scientist"])
    assert query.kind is Kind.COMPARE_ALL and query.related == "data_scientist"


def test_unknown_neighbouring_jobs_are_ignored(kb: knowledge.KnowledgeBase) -> None:
    assert interpret(intent="ask_aspect", roles=[EN], aspects=["skills"], context=NO_CONTEXT, kb=kb,
                     related=["astronaut"]) == Query(Kind.ROLE_ASPECT, role=EN, aspect="skills")
