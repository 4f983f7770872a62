"""Custom actions: the right response, the right facts filled in, the right slot events."""
from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.role_questions import (
    ActionAnswerRole,
    ActionCompareRoles,
    ActionDeny,
    ActionShorten,
    ActionShowMenu,
    ActionTellMore,
)
from bot import knowledge
from tests.support.helpers import aspect, make_tracker, role

RS, EN = "ai_research_scientist", "ai_engineer"


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


def run(action: Any, **tracker_args: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, make_tracker(**tracker_args), {})
    return dispatcher.messages, events


def test_answer_one_aspect_of_a_role(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect", entities=[role(EN), aspect("skills")])
    [message] = messages
    assert message["response"] == "utter_role_aspect"
    assert message["role"] == "AI Engineer" and "TensorFlow" in message["points"]
    assert events == [SlotSet("answers_given", ["utter_role_aspect:ai_engineer:skills:1"]), SlotSet("detail_shown", True),
                      SlotSet("facts_only", False), SlotSet("role", EN), SlotSet("aspect", "skills")]


def test_the_same_facts_asked_again_come_back_short_not_word_for_word(kb: knowledge.KnowledgeBase) -> None:
    given = {"answers_given": ["utter_role_overview:ai_engineer:overview:0"]}
    messages, events = run(ActionAnswerRole(kb), intent="ask_role_overview", entities=[role(EN)], slots=given)
    [message] = messages
    assert message["response"] == "utter_as_i_said" and "real-world problems" in message["short"]
    assert any(b["payload"] == "/ask_more" for b in message["buttons"])  # the full version is one "more" away
    assert SlotSet("role", EN) in events
    messages, _ = run(ActionAnswerRole(kb), intent="ask_role_overview", entities=[role(RS)], slots=given)
    assert messages[0]["response"] == "utter_role_overview"  # the other role: not said yet


def test_follow_up_keeps_the_aspect_and_switches_role(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_followup", entities=[role(RS)],
                           slots={"role": EN, "aspect": "programming"})
    assert "MATLAB" in messages[0]["points"] and "Scala" not in messages[0]["points"]
    assert SlotSet("role", RS) in events and SlotSet("aspect", "programming") in events


def test_pronoun_question_uses_the_role_in_context(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), intent="ask_aspect", entities=[aspect("career")],
                      slots={"role": RS, "aspect": "overview"})
    assert messages[0]["role"] == "AI Research Scientist"
    assert "research team" in messages[0]["points"]


def test_overview_sets_context_and_offers_buttons(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_role_overview", entities=[role(EN)])
    message = messages[0]
    assert message["response"] == "utter_role_overview" and "deploy" in message["summary"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert "/ask_more" in payloads
    assert any(p.startswith("/ask_followup") and json.loads(p[len("/ask_followup"):]) == {"role": RS, "aspect": "overview"}
               for p in payloads)
    assert SlotSet("aspect", "overview") in events


def test_question_for_no_role_in_particular_answers_both(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect", entities=[aspect("environment")])
    assert messages[0]["response"] == "utter_compare_aspect"
    assert "universities" in messages[0]["lines"] and "startups" in messages[0]["lines"]
    assert SlotSet("aspect", "environment") in events and not any(e["name"] == "role" for e in events)


def test_follow_up_with_nothing_to_follow_asks_which_role(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), intent="ask_followup")
    assert messages[0]["response"] == "utter_ask_which_role"
    assert {b["title"] for b in messages[0]["buttons"]} >= {"AI Engineer", "AI Research Scientist"}


def test_salary_question_is_answered_honestly(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), intent="ask_aspect", entities=[role(EN), aspect("pay")])
    assert messages[0]["response"] == "utter_topic_not_covered"
    assert messages[0]["topic"] == "pay and salaries"


def test_compare_on_an_aspect(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionCompareRoles(kb), intent="compare_roles", entities=[aspect("education")])
    assert messages[0]["response"] == "utter_compare_aspect"
    assert "PhD" in messages[0]["lines"] and "bachelor" in messages[0]["lines"]


def test_compare_overall(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionCompareRoles(kb), intent="compare_roles", entities=[role(RS), role(EN)])
    assert messages[0]["response"] == "utter_compare_all"
    assert SlotSet("aspect", "overview") in events


def test_tell_me_more_gives_the_detail_then_moves_on(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionTellMore(kb), intent="ask_more",
                           slots={"role": RS, "aspect": "responsibilities", "detail_shown": False})
    assert "journals" in messages[0]["points"]
    assert SlotSet("detail_shown", True) in events
    messages, events = run(ActionTellMore(kb), intent="ask_more",
                           slots={"role": RS, "aspect": "responsibilities", "detail_shown": True})
    assert messages[0]["aspect"] == "Skills and qualifications"


def test_tell_me_more_without_context_offers_a_choice(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionTellMore(kb), intent="ask_more", slots={"aspect": "skills"})
    assert messages[0]["response"] == "utter_ask_which_role_aspect"


def test_menu_lists_what_the_assistant_offers(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionShowMenu(kb), intent="greet")
    assert messages[0]["response"] == "utter_menu" and events == []
    assert 3 <= len(messages[0]["buttons"]) <= 5


def test_actions_build_their_own_knowledge_base_by_default() -> None:
    assert ActionAnswerRole().kb.roles


def test_neighbouring_job_says_so_then_answers_for_the_nearest_role(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect",
                           entities=[{"entity": "related_role", "value": "data_scientist"}, aspect("skills")])
    assert [m["response"] for m in messages] == ["utter_related_role", "utter_role_aspect"]
    assert messages[0]["job"] == "data scientist" and messages[0]["role"] == "AI Engineer"
    assert SlotSet("role", EN) in events


def test_tldr_gives_the_last_answer_in_a_line(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionShorten(kb), intent="ask_shorter", text="tl;dr", slots={"role": EN, "aspect": "skills"})
    [message] = messages
    assert message["response"] == "utter_in_short"
    assert message["short"] == "Education, technical skills, practical experience and software engineering."
    assert SlotSet("role", EN) in events and SlotSet("aspect", "skills") in events


def test_tldr_after_a_comparison_gives_one_line_per_role(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionShorten(kb), intent="ask_shorter", text="shorter please", slots={"role": None, "aspect": "overview"})
    lines = messages[0]["short"].splitlines()
    assert [line.split(":")[0] for line in lines] == ["• AI Research Scientist", "• AI Engineer"]


def test_tldr_with_nothing_said_yet_offers_the_menu(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionShorten(kb), intent="ask_shorter", text="tl;dr")
    assert messages[0]["response"] == "utter_nothing_to_shorten" and messages[0]["buttons"]
    assert events == []


def test_no_that_names_a_role_corrects_the_last_answer(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionDeny(kb), intent="deny", text="no i meant for engineers", entities=[role(EN)],
                      slots={"role": RS, "aspect": "skills"})
    assert messages[0]["response"] == "utter_role_aspect" and messages[0]["role"] == "AI Engineer"
    assert "TensorFlow" in messages[0]["points"]


def test_a_bare_no_is_acknowledged(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionDeny(kb), intent="deny", text="no thanks", slots={"role": RS, "aspect": "skills"})
    assert [m["response"] for m in messages] == ["utter_deny"] and events == []


@pytest.mark.parametrize(
    ("text", "who", "topic", "response", "step"),
    [("I have a bachelor's in mechanical engineering, is that OK for AI engineering?", EN, "education",
      "utter_degree_fits", "hands-on experience"),
     ("would my master's be enough to become a research scientist?", RS, "development", "utter_degree_not_enough", "A PhD"),
     ("I'm finishing my PhD, is that enough for research scientist jobs?", RS, None, "utter_degree_fits", "research experience")],
)
def test_a_yes_no_question_about_ones_own_degree_gets_a_direct_answer(
        kb: knowledge.KnowledgeBase, text: str, who: str, topic: str | None, response: str, step: str) -> None:
    entities = [role(who)] + ([aspect(topic)] if topic else [])
    messages, events = run(ActionAnswerRole(kb), text=text, intent="ask_aspect" if topic else "ask_role_overview",
                           entities=entities)
    assert messages[0]["response"] == response and messages[0]["next"].startswith(step)
    assert messages[0]["fact"] == kb.role(who).fields["education"][0].text  # the article's fact follows the yes or no
    assert SlotSet("aspect", "education") in events


def test_a_degree_question_that_is_not_yes_or_no_gets_the_section(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), text="what degree do research scientists need?", intent="ask_aspect",
                      entities=[role(RS), aspect("education")])
    assert messages[0]["response"] == "utter_role_aspect"


def test_stated_preferences_in_a_which_one_question_get_a_lean_and_the_offer(kb: knowledge.KnowledgeBase) -> None:
    text = "I'd rather ship products than write papers, which job is that?"
    messages, events = run(ActionAnswerRole(kb), text=text, intent="compare_roles", entities=[aspect("choose")])
    [message] = messages
    assert message["response"] == "utter_stated_lean_offer" and message["role"] == "AI Engineer"
    assert "“I'd rather ship products than write papers”" in message["reasons"]
    assert SlotSet("stated_answers", {"answers": {"goal": "practice", "interest": "systems"},
                                      "said": "I'd rather ship products than write papers"}) in events
    # without a preference, the comparison of who each role suits, as before
    messages, _ = run(ActionAnswerRole(kb), text="which of the two suits whom?", intent="compare_roles",
                      entities=[aspect("choose")])
    assert messages[0]["response"] == "utter_compare_aspect"


def test_which_of_the_two_is_answered_with_the_fact_and_its_role_first(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionCompareRoles(kb), intent="compare_roles", text="which of the two builds chatbots?",
                           facts=["ai_engineer:building_systems"])
    [message] = messages
    assert message["response"] == "utter_facts_which" and message["roles"] == "AI Engineers"
    assert "chatbots" in message["lines"] and "Research" not in message["lines"]
    assert SlotSet("role", EN) in events and SlotSet("aspect", "responsibilities") in events
    assert SlotSet("facts_only", True) in events


def test_a_named_role_keeps_its_own_facts(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), intent="ask_aspect", text="do research scientists need a phd?",
                      entities=[role(RS)], facts=["ai_engineer:degree", "ai_research_scientist:phd_expected"])
    [message] = messages
    assert message["response"] == "utter_facts"
    assert message["lines"].startswith("• AI Research Scientist: A PhD") and "AI Engineer" not in message["lines"]


def test_a_fact_of_the_other_role_says_whose_side_it_is(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect", text="do research scientists build chatbots?",
                           entities=[role(RS)], facts=["ai_engineer:building_systems"])
    [message] = messages
    assert message["response"] == "utter_facts_other_side"
    assert (message["roles"], message["asked"]) == ("AI Engineers", "AI Research Scientists")
    assert SlotSet("role", EN) in events


def test_facts_on_a_topic_the_message_names_come_first(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect", text="can engineers move into product work later?",
                           entities=[role(EN), aspect("career")],
                           facts=["ai_engineer:growing_demand", "ai_engineer:product_management"])
    assert messages[0]["lines"].startswith("• AI Engineer: Some move on to product management")
    assert SlotSet("aspect", "career") in events


def test_a_lean_is_marked_so_that_yes_starts_the_interview(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect", text="I love proofs and maths, which one fits me?",
                           entities=[aspect("choose")])
    assert messages[0]["response"] == "utter_stated_lean_offer" and messages[0]["role"] == "AI Research Scientist"
    assert events[-1] == FollowupAction("action_offer_interview")


def test_programming_facts_count_as_skills(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), intent="ask_aspect", text="which frameworks do engineers need as a skill?",
                      entities=[role(EN), aspect("skills")], facts=["ai_engineer:technical_skills"])
    assert messages[0]["response"] == "utter_facts" and "TensorFlow" in messages[0]["lines"]


def test_tell_me_more_after_a_few_facts_gives_the_whole_topic(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionTellMore(kb), intent="ask_more",
                      slots={"role": EN, "aspect": "responsibilities", "facts_only": True, "detail_shown": True})
    [message] = messages
    assert message["response"] == "utter_role_aspect" and message["aspect"] == "Responsibilities"
    assert "Integration" in message["points"]


def test_the_same_facts_asked_twice_come_back_as_i_said(kb: knowledge.KnowledgeBase) -> None:
    given = ["utter_facts_which:ai_engineer:responsibilities:0:ai_engineer:building_systems"]
    messages, events = run(ActionCompareRoles(kb), intent="compare_roles", text="which one builds chatbots again?",
                           facts=["ai_engineer:building_systems"], slots={"answers_given": given})
    [message] = messages
    assert message["response"] == "utter_as_i_said" and "chatbots" in message["short"]
    assert not [e for e in events if e.get("name") == "answers_given"]


def test_a_yes_no_question_about_ones_own_case_says_the_article_does_not_settle_it(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerRole(kb), intent="ask_aspect", text="I have three papers, but in physics journals; does that count?",
                      slots={"role": RS}, facts=["ai_research_scientist:publications"])
    [message] = messages
    assert message["response"] == "utter_facts_unsettled" and "peer-reviewed journals" in message["lines"]


def test_someone_described_by_the_user_gets_a_lean_or_the_offer_whatever_topic_they_name(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionAnswerRole(kb), intent="ask_aspect", entities=[aspect("projects")],
                           text="my son is great at physics but builds robots every weekend, which sounds like him?")
    [message] = messages
    assert message["response"] == "utter_stated_no_lean_offer" and "interests and strengths" in message["counted"]
    assert events[-1] == FollowupAction("action_offer_interview")
    messages, _ = run(ActionAnswerRole(kb), intent="ask_aspect", entities=[aspect("projects")],
                      text="I like building things, which projects do engineers do?")
    assert messages[0]["response"] != "utter_stated_lean_offer"
