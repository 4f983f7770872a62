"""Working out what a role question asks, including follow-ups that lean on context."""
from __future__ import annotations

import pytest

from bot import knowledge
from bot.questions import Context, Kind, Query, interpret, mentioned, understand

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


# --- The latest words win: bot.questions.understand reads Rasa's parse data like the actions do.

def parse(text: str, intent: str, *entities: tuple[str, str, str | None]) -> dict[str, object]:
    """Parse data for `text`; each entity is (type, value, the words it was found in, or None for
    an aspect read from the meaning of the whole message)."""
    found = []
    for kind, value, words in entities:
        if words is None:
            found.append({"entity": kind, "value": value, "start": 0, "end": len(text),
                          "extractor": "MeaningAspectExtractor"})
        else:
            start = text.index(words)
            found.append({"entity": kind, "value": value, "start": start, "end": start + len(words),
                          "extractor": "RulerEntityExtractor"})
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": found}


def test_a_role_named_in_the_message_beats_the_role_in_context(kb: knowledge.KnowledgeBase) -> None:
    message = parse("what would a research person's typical projects be?", "ask_aspect",
                    ("role", RS, "research person"), ("aspect", "projects", "projects"))
    assert understand(message, Context(role=EN, aspect="projects"), kb) == Query(Kind.ROLE_ASPECT, role=RS, aspect="projects")


def test_an_aspect_meant_beats_the_aspect_in_context(kb: knowledge.KnowledgeBase) -> None:
    message = parse("ok but which of the two deploys models in production?", "compare_roles",
                    ("aspect", "responsibilities", None))
    query = understand(message, Context(role=None, aspect="environment"), kb)
    assert query == Query(Kind.COMPARE_ASPECT, aspect="responsibilities")


def test_the_meaning_goes_first_when_the_words_point_several_ways(kb: knowledge.KnowledgeBase) -> None:
    text = "where do they end up career-wise? both please"
    message = parse(text, "compare_roles", ("aspect", "environment", "where"), ("aspect", "career", "career"),
                    ("aspect", "career", None))
    assert understand(message, NO_CONTEXT, kb) == Query(Kind.COMPARE_ASPECT, aspect="career")


def test_a_negated_topic_is_not_the_topic(kb: knowledge.KnowledgeBase) -> None:
    text = "no, I meant the overall differences, not just education"
    message = parse(text, "compare_roles", ("aspect", "education", "education"))
    assert understand(message, Context(aspect="education"), kb) == Query(Kind.COMPARE_ALL, aspect="overview")


def test_a_comparison_naming_no_topic_after_an_uncovered_one_is_the_overall_one(kb: knowledge.KnowledgeBase) -> None:
    message = parse("no, I meant the overall differences", "compare_roles")
    assert understand(message, Context(role=EN, aspect="pay"), kb) == Query(Kind.COMPARE_ALL, aspect="overview")
    follow_up = parse("and for research scientists?", "ask_followup", ("role", RS, "research scientists"))
    query = understand(follow_up, Context(role=EN, aspect="pay"), kb)
    assert query == Query(Kind.UNCOVERED, role=RS, aspect="pay", topic="pay")


def test_a_negated_role_is_not_the_role(kb: knowledge.KnowledgeBase) -> None:
    text = "the skills of engineers rather than research scientists"
    message = parse(text, "ask_aspect", ("aspect", "skills", "skills"), ("role", EN, "engineers"),
                    ("role", RS, "research scientists"))
    assert understand(message, NO_CONTEXT, kb) == Query(Kind.ROLE_ASPECT, role=EN, aspect="skills")


def test_the_compare_button_is_the_full_comparison_whatever_came_before(kb: knowledge.KnowledgeBase) -> None:
    button = {"text": "/compare_roles", "intent": {"name": "compare_roles", "confidence": 1.0}, "entities": []}
    assert understand(button, Context(role=EN, aspect="career"), kb) == Query(Kind.COMPARE_ALL, aspect="overview")
    typed = parse("how do they compare?", "compare_roles")
    assert understand(typed, Context(role=EN, aspect="career"), kb) == Query(Kind.COMPARE_ASPECT, aspect="career")


def test_no_naming_a_role_corrects_the_last_answer(kb: knowledge.KnowledgeBase) -> None:
    message = parse("no i meant for engineers", "deny", ("role", EN, "engineers"))
    query = understand(message, Context(role=RS, aspect="skills"), kb)
    assert query == Query(Kind.ROLE_ASPECT, role=EN, aspect="skills")


def test_no_naming_a_topic_corrects_the_topic(kb: knowledge.KnowledgeBase) -> None:
    message = parse("no, I meant their education", "deny", ("aspect", "education", "education"))
    assert understand(message, Context(role=RS, aspect="skills"), kb) == Query(Kind.ROLE_ASPECT, role=RS, aspect="education")


def test_a_bare_no_asks_nothing(kb: knowledge.KnowledgeBase) -> None:
    assert understand(parse("no thanks", "deny"), Context(role=RS, aspect="skills"), kb) is None
    assert understand(parse("thanks!", "thank"), Context(role=RS, aspect="skills"), kb) is None


def test_a_message_that_names_nothing_inherits_the_context(kb: knowledge.KnowledgeBase) -> None:
    assert understand(parse("how do I get into it?", "ask_aspect", ("aspect", "development", "get into")),
                      Context(role=RS, aspect="overview"), kb) == Query(Kind.ROLE_ASPECT, role=RS, aspect="development")
    assert understand(parse("and the other one?", "ask_followup"), Context(role=RS, aspect="skills"), kb) == Query(
        Kind.ROLE_ASPECT, role=EN, aspect="skills")


def test_an_uncovered_topic_meant_is_declined_even_next_to_a_covered_word(kb: knowledge.KnowledgeBase) -> None:
    text = "do researchers at least earn more, since they need a PhD?"
    message = parse(text, "ask_aspect", ("role", RS, "researchers"), ("aspect", "education", "PhD"), ("aspect", "pay", None))
    query = understand(message, NO_CONTEXT, kb)
    assert query is not None and query.kind is Kind.UNCOVERED and query.topic == "pay"


@pytest.mark.parametrize(("text", "role"), [("and what about their education?", EN), ("and for education?", EN),
                                            ("and the other one's education?", RS)])
def test_a_follow_up_naming_a_topic_switches_the_role_only_when_it_says_so(kb: knowledge.KnowledgeBase, text: str,
                                                                            role: str) -> None:
    message = parse(text, "ask_followup", ("aspect", "education", "education"))
    assert understand(message, Context(role=EN, aspect="skills"), kb) == Query(Kind.ROLE_ASPECT, role=role,
                                                                                aspect="education")


def test_topic_words_said_about_oneself_before_a_question_do_not_make_it_a_topic_question() -> None:
    message = {"text": "My son is studying computer science. What is the difference between these two jobs?",
               "intent": {"name": "compare_roles"}, "entities": [{"entity": "aspect", "value": "education", "start": 10, "end": 18}]}
    assert mentioned(message, "aspect") == []
    asked = {"text": "I'm a data analyst. Which skills matter most for engineers?", "intent": {"name": "ask_aspect"},
             "entities": [{"entity": "aspect", "value": "skills", "start": 26, "end": 32}]}
    assert mentioned(asked, "aspect") == ["skills"]
    whole = {"text": "I have a bachelor's, is that enough?", "intent": {"name": "ask_aspect"},
             "entities": [{"entity": "aspect", "value": "education", "start": 9, "end": 19}]}
    assert mentioned(whole, "aspect") == ["education"]


def test_besides_a_topic_is_not_that_topic() -> None:
    message = {"text": "what else besides the degree do they look for?", "intent": {"name": "ask_aspect"},
               "entities": [{"entity": "aspect", "value": "education", "start": 22, "end": 28}]}
    assert mentioned(message, "aspect") == []


def test_a_topic_meaning_picked_among_words_said_about_oneself_goes_with_them() -> None:
    text = "Senior backend dev here, 8 years of Java. I'd rather ship products than write papers. Which job is that?"
    message = {"text": text, "intent": {"name": "ask_aspect"},
               "entities": [{"entity": "aspect", "value": "career", "start": 0, "end": 6},
                            {"entity": "aspect", "value": "programming", "start": 36, "end": 40},
                            {"entity": "aspect", "value": "career", "start": 0, "end": len(text),
                             "extractor": "MeaningAspectExtractor"}]}
    assert mentioned(message, "aspect") == []
