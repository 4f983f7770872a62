"""One interview turn: accept the answer, re-ask once, change an earlier answer, or leave it to the rules."""
from __future__ import annotations

import pytest

from bot import interview
from bot.interview import Interview
from bot.interview_turn import CONTROLS, Accept, Answer, Change, Leave, LeaveReason, ReAsk, Turn, decide


@pytest.fixture(scope="module")
def data() -> Interview:
    return interview.load()


def test_free_text_answer_is_accepted_with_the_users_words(data: Interview) -> None:
    decision = decide(interview=data, turn=Turn(requested="goal", text="I want to publish papers", quotes={"interest": "x"}))
    assert decision == Accept("goal", "theory", {"interest": "x", "goal": "I want to publish papers"})


def test_button_choice_is_accepted_and_forgets_earlier_words(data: Interview) -> None:
    turn = Turn(requested="education", text="/inform", choice="masters", quotes={"education": "a PhD", "goal": "papers"})
    assert decide(interview=data, turn=turn) == Accept("education", "masters", {"goal": "papers"})


def test_a_choice_the_topic_does_not_have_is_ignored(data: Interview) -> None:
    turn = Turn(requested="goal", text="I want to publish papers", choice="masters")
    assert decide(interview=data, turn=turn) == Accept("goal", "theory", {"goal": "I want to publish papers"})


def test_unclear_answer_is_re_asked_once_then_taken_as_not_sure(data: Interview) -> None:
    assert decide(interview=data, turn=Turn(requested="strength", text="purple elephants")) == ReAsk("strength")
    again = Turn(requested="strength", text="purple elephants", retry="strength")
    assert decide(interview=data, turn=again) == Accept("strength", "not_sure", {"strength": "purple elephants"})


def test_an_earlier_re_ask_of_another_topic_does_not_count(data: Interview) -> None:
    assert decide(interview=data, turn=Turn(requested="strength", text="purple elephants", retry="goal")) == ReAsk("strength")


def test_an_empty_second_reply_is_not_sure_and_keeps_no_words(data: Interview) -> None:
    turn = Turn(requested="goal", text="  ", retry="goal", quotes={"interest": "x"})
    assert decide(interview=data, turn=turn) == Accept("goal", "not_sure", {"interest": "x"})


@pytest.mark.parametrize(
    ("turn", "reason"),
    [
        (Turn(requested=None, text="I want to publish papers"), "no_question"),
        (Turn(requested="last_result", text="I want to publish papers"), "no_question"),
        (Turn(requested="goal", text="I want to publish papers", detour_ran=True), "detour_ran"),
        (Turn(requested="goal", text="yes", intent="affirm", previous_bot_action="utter_ask_confirm_stop"), "stop_confirmation"),
        (Turn(requested="goal", text="wait, what do engineers work on?", intent="ask_aspect"), "digression"),
        (Turn(requested="goal", text="hello", intent="greet"), "digression"),
        (Turn(requested="goal", text="i have to jump start my car", intent="out_of_scope"), "digression"),
    ],
)
def test_what_is_not_an_answer_is_left_to_the_rules(data: Interview, turn: Turn, reason: LeaveReason) -> None:
    assert decide(interview=data, turn=turn) == Leave(reason)


@pytest.mark.parametrize("intent", sorted(CONTROLS))
def test_controls_are_left_to_their_rules_even_with_a_choice(data: Interview, intent: str) -> None:
    turn = Turn(requested="goal", text="I want to publish papers", intent=intent, choice="theory")
    assert decide(interview=data, turn=turn) == Leave("control")


def test_a_question_intent_that_reads_as_an_answer_is_an_answer(data: Interview) -> None:
    turn = Turn(requested="environment", text="a tech startup", intent="ask_aspect")
    assert decide(interview=data, turn=turn) == Accept("environment", "industry", {"environment": "a tech startup"})


def test_small_talk_that_is_also_an_answer_is_an_answer(data: Interview) -> None:
    turn = Turn(requested="environment", text="thanks, a startup", intent="thank")
    assert decide(interview=data, turn=turn) == Accept("environment", "industry", {"environment": "thanks, a startup"})


def test_change_intent_changes_an_earlier_answer_and_keeps_the_words(data: Interview) -> None:
    turn = Turn(requested="environment", text="I have a master's", intent="change_answer", quotes={"goal": "papers"})
    assert decide(interview=data, turn=turn) == Change("education", "masters", {"goal": "papers", "education": "I have a master's"})


def test_a_change_marker_changes_an_earlier_answer_whatever_the_intent(data: Interview) -> None:
    turn = Turn(requested="environment", text="Actually I have a master's", intent="inform")
    assert decide(interview=data, turn=turn) == Change("education", "masters", {"education": "Actually I have a master's"})


def test_without_a_change_marker_or_intent_the_message_answers_the_question(data: Interview) -> None:
    turn = Turn(requested="goal", text="I have a master's", intent="inform", unanswered=frozenset(data.slots))
    assert decide(interview=data, turn=turn) == ReAsk("goal")


def test_a_correction_naming_the_requested_topic_answers_it(data: Interview) -> None:
    turn = Turn(requested="education", text="actually I have a master's", intent="change_answer")
    assert decide(interview=data, turn=turn) == Accept("education", "masters", {"education": "actually I have a master's"})


def test_an_unclear_correction_is_treated_as_an_answer(data: Interview) -> None:
    turn = Turn(requested="goal", text="actually hmm", intent="change_answer")
    assert decide(interview=data, turn=turn) == ReAsk("goal")


def test_the_given_words_are_not_modified(data: Interview) -> None:
    quotes = {"goal": "papers"}
    decide(interview=data, turn=Turn(requested="goal", text="/inform", choice="practice", quotes=quotes))
    decide(interview=data, turn=Turn(requested="interest", text="building apps", quotes=quotes))
    assert quotes == {"goal": "papers"}


def test_an_out_of_scope_message_that_is_also_an_answer_is_taken_as_the_answer(data: Interview) -> None:
    decision = decide(interview=data, turn=Turn(requested="goal", text="I want to publish papers", intent="out_of_scope"))
    assert isinstance(decision, Accept) and decision.topic == "goal"


@pytest.mark.parametrize(
    "text",
    ["sorry, before that, what does corporate R&D mean?", "do they have to publish a lot? I'm a slow writer",
     "wait, is a master's enough for research?"],
)
def test_a_real_question_is_never_stored_as_an_answer_or_a_change(data: Interview, text: str) -> None:
    # read as an answer or a change by the classifier: answered by the form itself, then asked again
    for intent in ("inform", "change_answer"):
        assert decide(interview=data, turn=Turn(requested="goal", text=text, intent=intent)) == Answer("goal")
    # read as a question: its rule answers it
    assert decide(interview=data, turn=Turn(requested="goal", text=text, intent="ask_aspect")) == Leave("digression")


@pytest.mark.parametrize(("text", "value"), [("research, I guess?", "theory"), ("maybe both?", "both")])
def test_an_answer_with_a_question_mark_is_still_an_answer(data: Interview, text: str, value: str) -> None:
    assert decide(interview=data, turn=Turn(requested="goal", text=text, intent="inform")) == Accept("goal", value, {"goal": text})


def test_a_question_that_asks_for_a_change_is_a_change(data: Interview) -> None:
    turn = Turn(requested="goal", text="can you change my education to a master's?", intent="change_answer")
    assert decide(interview=data, turn=turn) == Change("education", "masters", {"education": turn.text})


def test_a_correction_naming_its_topic_changes_that_topic(data: Interview) -> None:
    # "research team" also fits the goal, the interests and the strengths: "long term" names the topic
    turn = Turn(requested="education", text="actually, long term I want to lead a research team", intent="change_answer")
    assert decide(interview=data, turn=turn) == Change("aspiration", "research_lead", {"aspiration": turn.text})


def test_an_old_change_button_changes_its_own_topic(data: Interview) -> None:
    turn = Turn(requested="goal", text='/change_answer{"topic": "education", "choice": "phd"}', intent="change_answer",
                choice="phd", choice_topic="education", quotes={"education": "a bachelor's"})
    assert decide(interview=data, turn=turn) == Change("education", "phd", {})


def test_a_long_answer_also_settles_later_questions_by_words_of_their_own(data: Interview) -> None:
    text = "I want to do research and publish papers, I'm finishing a PhD and would love to stay at a university"
    decision = decide(interview=data, turn=Turn(requested="goal", text=text, intent="inform", unanswered=frozenset(data.slots)))
    assert isinstance(decision, Accept) and decision.value == "theory"
    assert decision.also == {"education": "phd", "environment": "academia"}  # not the interests: the goal's own words
    assert decision.quotes == {"goal": text, "education": text, "environment": text}
    answered = decide(interview=data, turn=Turn(requested="goal", text=text, intent="inform",
                                                unanswered=frozenset(data.slots) - {"education"}))
    assert isinstance(answered, Accept) and answered.also == {"environment": "academia"}
    short = decide(interview=data, turn=Turn(requested="goal", text="research, and I have a PhD", intent="inform",
                                             unanswered=frozenset(data.slots)))
    assert isinstance(short, Accept) and short.also == {}


def test_chatbots_answer_the_interests_question(data: Interview) -> None:
    decision = decide(interview=data, turn=Turn(requested="interest", text="chatbots", intent="bot_challenge"))
    assert decision == Accept("interest", "systems", {"interest": "chatbots"})


def test_an_answer_to_the_pending_question_with_a_change_marker_is_its_answer(data: Interview) -> None:
    """After "go back", "practical solutions actually" answers the goal asked again; it changes nothing else."""
    decision = decide(interview=data, turn=Turn(requested="goal", text="practical solutions actually", intent="change_answer"))
    assert isinstance(decision, Accept) and (decision.topic, decision.value) == ("goal", "practice")


def test_a_change_naming_another_topic_still_changes_it(data: Interview) -> None:
    decision = decide(interview=data, turn=Turn(requested="interest", text="actually, for my goal say practical solutions",
                                                     intent="change_answer"))
    assert isinstance(decision, Change) and decision.topic == "goal"


def test_a_correction_after_a_filler_changes_the_earlier_answer(data: Interview) -> None:
    decision = decide(interview=data, turn=Turn(requested="environment", text="oh wait, actually I have a master's now",
                                                intent="change_answer"))
    assert decision == Change("education", "masters", {"education": "oh wait, actually I have a master's now"})


def test_an_answer_to_an_earlier_question_instead_of_the_pending_one_changes_it(data: Interview) -> None:
    answered = frozenset({"environment", "aspiration"})  # education was answered from the first message
    decision = decide(interview=data, turn=Turn(requested="environment", text="bachelor's, finishing next year", intent="inform",
                                                unanswered=answered))
    assert decision == Change("education", "bachelors", {"education": "bachelor's, finishing next year"})


def test_an_answer_to_a_question_not_yet_asked_is_not_taken_as_a_change(data: Interview) -> None:
    decision = decide(interview=data, turn=Turn(requested="environment", text="bachelor's, finishing next year", intent="inform",
                                                unanswered=frozenset({"education", "environment", "aspiration"})))
    assert decision == ReAsk("environment")
