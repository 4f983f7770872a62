"""Interview actions: asking, understanding answers, detours, going back, stopping, the result."""
from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.interview import (
    ActionAskGoal,
    ActionChangeAnswer,
    ActionGoBack,
    ActionNoteAnswer,
    ActionRecommend,
    ActionRestart,
    ActionShowResult,
    ActionStartInterview,
    ActionStopInterview,
    ValidateInterviewForm,
)

RESEARCH = dict(goal="theory", interest="ideas", strength="analytical", education="phd", environment="academia",
                aspiration="research_lead")


def tracker(*, text: str = "", intent: str = "inform", slots: dict[str, Any] | None = None,
            entities: list[dict[str, Any]] | None = None, events: list[dict[str, Any]] | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker.from_dict({
        "sender_id": "t", "slots": slots or {}, "latest_message": message,
        "events": events if events is not None else [
            {"event": "action", "name": "action_ask_goal"}, {"event": "user", "text": text, "parse_data": message},
        ],
        "paused": False, "followup_action": None, "active_loop": {"name": "interview_form"},
        "latest_action_name": "action_listen",
    })


def validate(t: Tracker) -> tuple[list[Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateInterviewForm().run(dispatcher, t, {}))
    return events, dispatcher.messages


def test_free_text_answer_fills_the_requested_slot_and_keeps_the_words() -> None:
    events, _ = validate(tracker(text="I want to publish papers", slots={"requested_slot": "goal"}))
    assert SlotSet("goal", "theory") in events
    assert SlotSet("interview_quotes", {"goal": "I want to publish papers"}) in events


def test_button_answer_uses_the_choice_entity() -> None:
    events, _ = validate(tracker(text="/inform", slots={"requested_slot": "education"},
                                       entities=[{"entity": "choice", "value": "masters"}]))
    assert SlotSet("education", "masters") in events


def test_unclear_answer_is_re_asked_once_then_taken_as_not_sure() -> None:
    events, _ = validate(tracker(text="purple elephants", slots={"requested_slot": "strength"}))
    assert events == [SlotSet("interview_retry", "strength")]
    events, _ = validate(tracker(text="purple elephants",
                                       slots={"requested_slot": "strength", "interview_retry": "strength"}))
    assert SlotSet("strength", "not_sure") in events


def test_role_question_is_left_to_the_digression_rule() -> None:
    events, _ = validate(tracker(text="wait, what do engineers work on?", intent="ask_aspect",
                                       slots={"requested_slot": "environment"}))
    assert events == []


def test_answer_classified_as_a_question_intent_is_still_an_answer() -> None:
    events, _ = validate(tracker(text="a tech startup", intent="ask_aspect", slots={"requested_slot": "environment"}))
    assert SlotSet("environment", "industry") in events


def test_controls_and_the_stop_confirmation_are_left_to_rules() -> None:
    events, _ = validate(tracker(text="stop", intent="stop_interview", slots={"requested_slot": "goal"}))
    assert events == []
    after_confirm = [{"event": "action", "name": "utter_ask_confirm_stop"}, {"event": "action", "name": "action_listen"},
                     {"event": "user", "text": "yes"}]
    events, _ = validate(tracker(text="yes", intent="affirm", slots={"requested_slot": "goal"}, events=after_confirm))
    assert events == []


def test_nothing_is_extracted_again_after_a_detour() -> None:
    after_detour = [{"event": "user", "text": "what do they do?"}, {"event": "action", "name": "action_answer_role"}]
    events, _ = validate(tracker(text="what do they do?", slots={"requested_slot": "goal"}, events=after_detour))
    assert events == []


def test_actually_changes_an_earlier_answer() -> None:
    events, messages = validate(tracker(text="actually I have a master's", intent="change_answer",
                                              slots={"requested_slot": "environment", "education": "phd"}))
    assert SlotSet("education", "masters") in events
    assert messages[0]["response"] == "utter_answer_changed"


def test_question_has_buttons_and_not_sure() -> None:
    dispatcher = CollectingDispatcher()
    ActionAskGoal().run(dispatcher, tracker(slots={}), {})
    [message] = dispatcher.messages
    assert message["text"].endswith("?")
    assert 3 <= len(message["buttons"]) <= 5
    assert {"title": "Not sure", "payload": '/inform{"choice":"not_sure"}'} in message["buttons"]


def test_re_ask_gives_examples_first() -> None:
    dispatcher = CollectingDispatcher()
    events = [{"event": "user", "text": "hmm"}, {"event": "slot", "name": "interview_retry", "value": "goal"}]
    ActionAskGoal().run(dispatcher, tracker(slots={"interview_retry": "goal"}, events=events), {})
    assert dispatcher.messages[0]["response"] == "utter_interview_clarify"
    assert "publish" in dispatcher.messages[0]["examples"]


def test_start_resets_earlier_answers() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionStartInterview().run(dispatcher, tracker(slots=RESEARCH), {})
    assert dispatcher.messages[0]["response"] == "utter_interview_intro"
    assert ActiveLoop(None) in events and SlotSet("goal", None) in events


def test_recommend_shows_summary_then_result_and_keeps_it() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionRecommend().run(dispatcher, tracker(slots={**RESEARCH, "interview_quotes": {"goal": "publish papers"}}), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_interview_summary", "utter_recommendation"]
    assert dispatcher.messages[1]["role"] == "AI Research Scientist"
    titles = [b["title"] for b in dispatcher.messages[1]["buttons"]]
    assert titles == ["More about AI Research Scientist", "Compare both roles", "Start over"]
    assert "██████████ 100% AI Research Scientist" in dispatcher.messages[1]["scores"]
    assert events == [SlotSet("last_result", {"answers": RESEARCH, "quotes": {"goal": "publish papers"}}),
                      SlotSet("recommendation", {"verdict": "recommended", "role": "ai_research_scientist",
                                                 "scores": {"ai_research_scientist": 100, "ai_engineer": 8}})]


def test_show_result_later_or_offer_the_interview() -> None:
    dispatcher = CollectingDispatcher()
    ActionShowResult().run(dispatcher, tracker(slots={"last_result": {"answers": RESEARCH, "quotes": {}}}), {})
    assert dispatcher.messages[-1]["response"] == "utter_recommendation"
    dispatcher = CollectingDispatcher()
    ActionShowResult().run(dispatcher, tracker(slots={}), {})
    assert dispatcher.messages[0]["response"] == "utter_no_result_yet"


def test_why_after_an_answer_with_no_result_gives_the_reasoning_behind_it() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionShowResult().run(
        dispatcher, tracker(text="why?", intent="ask_result", slots={"role": "ai_research_scientist", "aspect": "education"}), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_role_aspect" and message["role"] == "AI Research Scientist"
    assert SlotSet("detail_shown", True) in events
    dispatcher = CollectingDispatcher()
    ActionShowResult().run(dispatcher, tracker(text="what was my result?", intent="ask_result",
                                               slots={"role": "ai_research_scientist", "aspect": "education"}), {})
    assert dispatcher.messages[0]["response"] == "utter_no_result_yet"


def test_change_answer_after_the_result_recomputes_it() -> None:
    dispatcher = CollectingDispatcher()
    engineering = dict(goal="practice", interest="systems", strength="engineering", education="bachelors",
                       environment="industry", aspiration="tech_lead")
    events = ActionChangeAnswer().run(
        dispatcher, tracker(text="actually I have a PhD", intent="change_answer",
                            slots={"last_result": {"answers": engineering, "quotes": {}}}), {})
    assert SlotSet("education", "phd") in events
    assert dispatcher.messages[0]["response"] == "utter_answer_changed"
    [kept] = [e for e in events if e["name"] == "recommendation"]  # the new result is counted as given
    assert kept["value"]["role"] == "ai_engineer" and set(kept["value"]["scores"]) == {"ai_engineer", "ai_research_scientist"}


def test_go_back_forgets_the_previous_answer() -> None:
    events = ActionGoBack().run(CollectingDispatcher(), tracker(slots={"goal": "theory", "interest": "ideas",
                                                                       "requested_slot": "strength"}), {})
    assert SlotSet("interest", None) in events and SlotSet("goal", None) not in events


def test_stop_leaves_the_form_and_forgets_answers() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionStopInterview().run(dispatcher, tracker(slots=RESEARCH), {})
    assert ActiveLoop(None) in events and SlotSet("aspiration", None) in events
    assert dispatcher.messages[0]["response"] == "utter_interview_stopped"


def test_restart_greets_again() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionRestart().run(dispatcher, tracker(), {})
    assert events == [Restarted()]
    assert dispatcher.messages[0]["response"] == "utter_menu"


def test_an_answer_the_open_world_check_declined_is_still_an_unclear_answer() -> None:
    from actions.interview import _turn

    declined = tracker(text="I like stuff", intent="out_of_scope", slots={"requested_slot": "goal"})
    declined.latest_message["intent_ranking"] = [{"name": "out_of_scope", "confidence": 1.0},
                                                 {"name": "inform", "confidence": 0.6}]
    assert _turn(declined, ()).intent == "inform"
    request = tracker(text="book me a flight", intent="out_of_scope", slots={"requested_slot": "goal"})
    request.latest_message["intent_ranking"] = [{"name": "out_of_scope", "confidence": 1.0},
                                                {"name": "ask_aspect", "confidence": 0.6}]
    assert _turn(request, ()).intent == "out_of_scope"


ENGINEERING = dict(goal="practice", interest="systems", strength="engineering", education="bachelors",
                   environment="industry", aspiration="tech_lead")


def after_result(text: str, *, intent: str = "change_answer", entities: list[dict[str, Any]] | None = None) -> Tracker:
    return tracker(text=text, intent=intent, entities=entities,
                   slots={"last_result": {"answers": ENGINEERING, "quotes": {"goal": "ship products"}}})


def test_a_change_naming_its_topic_changes_it_after_the_result() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionChangeAnswer().run(dispatcher, after_result("actually, long term I want to lead a research team"), {})
    assert SlotSet("aspiration", "research_lead") in events
    assert dispatcher.messages[0]["response"] == "utter_answer_changed"
    assert dispatcher.messages[0]["topic"] == "long-term aspiration"


def test_an_answer_about_oneself_after_the_result_is_a_change() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionNoteAnswer().run(dispatcher, after_result("make that a tech company", intent="inform"), {})
    assert SlotSet("environment", "industry") in events or dispatcher.messages[0]["response"] == "utter_answer_changed"
    dispatcher = CollectingDispatcher()
    events = ActionNoteAnswer().run(dispatcher, after_result("for interests say both", intent="inform"), {})
    assert SlotSet("interest", "both") in events


def test_an_answer_about_oneself_before_any_result_offers_the_interview() -> None:
    dispatcher = CollectingDispatcher()
    assert ActionNoteAnswer().run(dispatcher, tracker(text="I have a master's in statistics"), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_offer_interview"


def test_an_ambiguous_change_asks_which_with_buttons_that_carry_the_change() -> None:
    dispatcher = CollectingDispatcher()
    assert ActionChangeAnswer().run(dispatcher, after_result("actually research"), {}) == []
    message = dispatcher.messages[0]
    assert message["response"] == "utter_which_answer_to_change"
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/change_answer{"topic":"goal","choice":"theory"}' in payloads and len(payloads) > 1


def test_the_change_button_with_no_words_asks_which_topic_then_which_value() -> None:
    dispatcher = CollectingDispatcher()
    ActionChangeAnswer().run(dispatcher, after_result("/change_answer"), {})
    assert dispatcher.messages[0]["response"] == "utter_which_answer_to_change"
    assert '/change_answer{"topic":"education"}' in [b["payload"].replace(" ", "") for b in dispatcher.messages[0]["buttons"]]
    dispatcher = CollectingDispatcher()
    ActionChangeAnswer().run(dispatcher, after_result('/change_answer{"topic": "education"}',
                                                      entities=[{"entity": "topic", "value": "education"}]), {})
    payloads = [b["payload"].replace(" ", "") for b in dispatcher.messages[0]["buttons"]]
    assert '/change_answer{"topic":"education","choice":"phd"}' in payloads
    dispatcher = CollectingDispatcher()
    events = ActionChangeAnswer().run(dispatcher, after_result(
        '/change_answer{"topic": "education", "choice": "phd"}',
        entities=[{"entity": "topic", "value": "education"}, {"entity": "choice", "value": "phd"}]), {})
    assert SlotSet("education", "phd") in events
    assert dispatcher.messages[0]["response"] == "utter_answer_changed"
    [kept] = [e for e in events if e["name"] == "recommendation"]  # the new result is counted as given
    assert kept["value"]["role"] == "ai_engineer" and set(kept["value"]["scores"]) == {"ai_engineer", "ai_research_scientist"}


def test_a_question_while_a_question_is_pending_is_answered_and_stored_nowhere() -> None:
    events, messages = validate(tracker(text="wait, is a master's enough to become an AI engineer?",
                                        intent="change_answer", slots={"requested_slot": "goal"},
                                        entities=[{"entity": "role", "value": "ai_engineer"}]))
    assert not [e for e in events if e.get("name") in {"goal", "education", "interview_quotes"}]
    assert messages and "AI Engineer" in (messages[0].get("text") or str(messages[0]))


def test_stated_preferences_get_a_lean_in_the_users_words_and_count_as_answers() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionStartInterview().run(
        dispatcher, tracker(text="I'd rather ship products than write papers, which job is that?", intent="start_interview"), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_stated_lean" and message["role"] == "AI Engineer"
    assert "“I'd rather ship products than write papers”" in message["reasons"] and "which job" not in message["reasons"]
    assert events.index(SlotSet("goal", "practice")) > events.index(SlotSet("goal", None))  # set after the reset
    assert SlotSet("interview_quotes", {"goal": "I'd rather ship products than write papers",
                                        "interest": "I'd rather ship products than write papers"}) in events


def test_without_a_stated_preference_the_interview_starts_as_before() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionStartInterview().run(dispatcher, tracker(text="which role suits me?", intent="start_interview"), {})
    assert dispatcher.messages[0]["response"] == "utter_interview_intro"
    assert SlotSet("goal", None) in events and not [e for e in events if e.get("value") not in (None, {})
                                                        and e.get("event") == "slot"]


def test_a_long_answer_fills_the_later_questions_it_settles_and_says_so() -> None:
    text = "I want to do research and publish papers, I'm finishing a PhD and would love to stay at a university"
    events, messages = validate(tracker(text=text, slots={"requested_slot": "goal"}))
    filled = {e["name"]: e["value"] for e in events if e["name"] in data_slots()}
    assert filled == {"goal": "theory", "education": "phd", "environment": "academia"}
    assert messages[0]["response"] == "utter_answers_noted" and "education" in messages[0]["topics"]
    answers = dict(RESEARCH)
    quotes = {"goal": text, "education": text, "environment": text}
    from bot import report
    summary = report.summary(ValidateInterviewForm().interview, answers, quotes).values["answers"]
    assert summary.count(text[:40]) == 1 and "from the same answer" in summary


def data_slots() -> set[str]:
    return set(ValidateInterviewForm().interview.slots)


def test_an_answer_after_the_result_that_fits_several_topics_asks_which() -> None:
    dispatcher = CollectingDispatcher()
    assert ActionNoteAnswer().run(dispatcher, after_result("research mostly", intent="inform"), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_which_answer_to_change"


def test_make_that_after_the_result_changes_an_answer_whatever_the_intent() -> None:
    from actions.role_questions import ActionAnswerRole

    dispatcher = CollectingDispatcher()
    t = after_result("make that a university lab", intent="ask_aspect", entities=[{"entity": "aspect", "value": "environment"}])
    events = ActionAnswerRole().run(dispatcher, t, {})
    assert SlotSet("environment", "academia") in events
    assert dispatcher.messages[0]["response"] == "utter_answer_changed"


def test_taking_the_interview_after_a_lean_counts_what_was_said() -> None:
    dispatcher = CollectingDispatcher()
    stated = {"answers": {"goal": "practice", "interest": "systems"}, "said": "I'd rather ship products than write papers"}
    events = ActionStartInterview().run(dispatcher, tracker(text="/start_interview", intent="start_interview",
                                                            slots={"stated_answers": stated}), {})
    assert SlotSet("goal", "practice") in events and SlotSet("interest", "systems") in events
    assert SlotSet("stated_answers", None) in events
    assert events.index(SlotSet("goal", "practice")) > events.index(SlotSet("goal", None))


def test_why_after_the_result_gives_only_its_reasons() -> None:
    dispatcher = CollectingDispatcher()
    ActionShowResult().run(dispatcher, tracker(text="why?", intent="ask_result", slots={
        "last_result": {"answers": RESEARCH, "quotes": {"goal": "I want to publish papers"}}}), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_why_result" and message["role"] == "AI Research Scientist"
    assert "“I want to publish papers”" in message["reasons"]


def test_a_correction_naming_a_topic_after_the_result_changes_it_whatever_the_intent() -> None:
    from actions.role_questions import ActionAnswerRole

    dispatcher = CollectingDispatcher()
    events = ActionAnswerRole().run(dispatcher, after_result("actually for interests say both", intent="compare_roles"), {})
    assert SlotSet("interest", "both") in events
    dispatcher = CollectingDispatcher()
    ActionAnswerRole().run(dispatcher, after_result("actually, what do engineers do?", intent="ask_role_overview",
                                                    entities=[{"entity": "role", "value": "ai_engineer"}]), {})
    assert dispatcher.messages[0]["response"] == "utter_role_overview"  # a question, not a change


def test_what_next_after_the_result_gives_the_steps_from_where_the_person_is() -> None:
    dispatcher = CollectingDispatcher()
    ActionShowResult().run(dispatcher, after_result("what should I do next?", intent="ask_result"), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_next_steps" and message["role"] == "AI Engineer"
    assert "A degree is already behind you" in message["steps"] and "Hands-on experience: practical projects" in message["steps"]


def test_what_next_without_a_result_gives_the_path_into_the_role_in_context() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionShowResult().run(dispatcher, tracker(text="ok, so what are my next steps?", intent="ask_result",
                                                        slots={"role": "ai_engineer"}), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_role_aspect" and message["aspect"] == "How to get there"
    assert SlotSet("aspect", "development") in events


def test_why_after_a_lean_gives_its_reasons_in_the_users_words() -> None:
    dispatcher = CollectingDispatcher()
    stated = {"answers": {"goal": "practice"}, "said": "I'd rather ship products than write papers"}
    asked = tracker(text="why do you say that?", intent="ask_result", slots={"stated_answers": stated})
    ActionShowResult().run(dispatcher, asked, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_why_lean" and message["role"] == "AI Engineer"
    assert "ship products" in message["reasons"]


def test_a_question_about_ones_own_degree_outside_the_interview_is_answered() -> None:
    dispatcher = CollectingDispatcher()
    asked = tracker(text="i have master degre in electronic, is enough for it?", intent="inform",
                    slots={"role": "ai_research_scientist"}, events=[])
    ActionNoteAnswer().run(dispatcher, asked, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_degree_not_enough" and "PhD" in message["fact"]


def test_a_request_to_start_says_nothing_about_the_person() -> None:
    """"can you ask me the questions to see which job fits me?" is no interest in asking questions."""
    events = ActionStartInterview().run(CollectingDispatcher(), tracker(
        text="can you ask me the questions to see which job fits me?", intent="start_interview"), {})
    assert not [e for e in events if e.get("event") == "slot" and e.get("name") in ("goal", "interest") and e.get("value")]


def test_the_interview_taken_after_a_lean_says_which_answers_already_count() -> None:
    dispatcher = CollectingDispatcher()
    offered = {"answers": {"interest": "systems", "strength": "analytical"}, "said": "my son builds robots"}
    events = ActionStartInterview().run(dispatcher, tracker(text="yes", intent="affirm", slots={"stated_answers": offered}), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_interview_intro_counted" and message["counted"] == "interests and strengths"
    assert SlotSet("interest", "systems") in events and SlotSet("stated_answers", None) in events
