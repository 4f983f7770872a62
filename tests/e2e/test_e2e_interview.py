"""End-to-end: the guided interview over REST, through the real servers."""
from __future__ import annotations

import json

import pytest

from tests.support.chat import ENGINEER_CLICKS, QUESTIONS, RESEARCH_ANSWERS, asked, button_payload, sender, text_of
from tools.harness.servers import Servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]

def run_interview(servers: Servers, user: str, answers: dict[str, str], start: str = "which role suits me?") -> str:
    reply = servers.say(user, start)
    assert "six short questions" in text_of(reply)
    for _ in range(8):
        topic = asked(reply)
        if topic is None:
            return text_of(reply)
        reply = servers.say(user, answers[topic])
    raise AssertionError("the interview did not finish")


def test_free_text_interview_recommends_research_scientist(servers: Servers) -> None:
    result = run_interview(servers, sender(), RESEARCH_ANSWERS)
    assert "My recommendation: AI Research Scientist" in result
    assert "“I want to advance AI theory and publish papers”" in result
    assert "Here's what you told me" in result
    assert "What AI Engineer would offer you" in result


def test_button_interview_recommends_ai_engineer(servers: Servers) -> None:
    user = sender()
    reply = servers.say(user, "help me choose")
    for _ in range(6):
        topic = asked(reply)
        assert topic is not None
        buttons = [b for m in reply for b in m.get("buttons", [])]
        assert len(buttons) <= 5
        reply = servers.say(user, button_payload(reply, ENGINEER_CLICKS[topic]))
    assert "My recommendation: AI Engineer" in text_of(reply)
    again = text_of(servers.say(user, "why?"))  # the reasons again, not the whole result
    assert "AI Engineer, because of what you told me" in again and "Here's what you told me" not in again
    assert "you said" in again


def test_a_role_question_mid_interview_is_answered_then_the_question_repeated(servers: Servers) -> None:
    user = sender()
    servers.say(user, "I can't decide which role")
    servers.say(user, RESEARCH_ANSWERS["goal"])
    reply = servers.say(user, "wait, what do AI engineers work on?")
    assert "Recommendation systems" in text_of(reply)
    assert asked(reply) == "interest"
    reply = servers.say(user, RESEARCH_ANSWERS["interest"])
    assert asked(reply) == "strength"


def test_unclear_answer_is_re_asked_once_then_moves_on(servers: Servers) -> None:
    user = sender()
    servers.say(user, "start the quiz")
    reply = servers.say(user, "I like stuff")
    assert "couldn't place that answer" in text_of(reply) and asked(reply) == "goal"
    reply = servers.say(user, "I like stuff")
    assert asked(reply) == "interest"


def test_nonsense_mid_interview_is_out_of_scope_and_the_question_comes_again(servers: Servers) -> None:
    user = sender()
    servers.say(user, "start the quiz")
    reply = servers.say(user, "purple elephants")
    assert "I can't help with that" in text_of(reply) and asked(reply) == "goal"


def test_stop_asks_for_confirmation(servers: Servers) -> None:
    user = sender()
    servers.say(user, "take the quiz")
    reply = servers.say(user, "stop")
    assert "Do you want to stop the interview?" in text_of(reply)
    reply = servers.say(user, "no")
    assert asked(reply) == "goal"
    servers.say(user, "stop")
    reply = servers.say(user, "yes")
    assert "stopped the interview" in text_of(reply)
    assert "AI Engineer: Skills" in text_of(servers.say(user, "what skills does an AI engineer need?"))


def test_start_over_go_back_and_change_an_answer(servers: Servers) -> None:
    user = sender()
    servers.say(user, "which role is right for me?")
    servers.say(user, RESEARCH_ANSWERS["goal"])
    reply = servers.say(user, RESEARCH_ANSWERS["interest"])
    assert asked(reply) == "strength"
    reply = servers.say(user, "go back")
    assert asked(reply) == "interest"
    reply = servers.say(user, "start over")
    assert "six short questions" in text_of(reply) and asked(reply) == "goal"
    for topic in ("goal", "interest", "strength", "education"):
        reply = servers.say(user, RESEARCH_ANSWERS[topic])
    assert asked(reply) == "environment"
    reply = servers.say(user, "actually I only have a bachelor's")
    assert "changed your education to a bachelor's degree" in text_of(reply)
    assert asked(reply) == "environment"


def test_all_not_sure_is_balanced(servers: Servers) -> None:
    result = run_interview(servers, sender(), {t: "not sure" for t in QUESTIONS})
    assert "won't force a verdict" in result


def test_restart_payload_greets_again(servers: Servers) -> None:
    user = sender()
    servers.say(user, "what does an AI engineer do?")
    reply = servers.say(user, "/restart")
    assert "I help people choose between two AI careers" in text_of(reply)
    payloads = [b["payload"] for m in reply for b in m.get("buttons", [])]
    assert "/start_interview" in payloads
    assert json.dumps(payloads)


def test_yes_to_the_interview_offered_after_a_lean_starts_it_with_what_was_said(servers: Servers) -> None:
    user = sender()
    lean = text_of(servers.say(user, "I love proofs and maths and I hate debugging production code. Which one fits me?"))
    assert "you lean towards AI Research Scientist" in lean
    reply = servers.say(user, "yes")
    topic = asked(reply)
    assert topic is not None and topic not in ("goal", "interest")  # what was said already counts
    stop = text_of(servers.say(user, "stop"))
    assert "stop the interview" in stop  # the interview is really running


def test_the_interview_asked_for_by_name_starts_whatever_else_the_message_says(servers: Servers) -> None:
    reply = servers.say(sender(), "I'm in my third year of a CS degree and torn about a PhD. Could we do the interview thing?")
    assert "short questions" in text_of(reply) and asked(reply) == "goal"


def test_what_next_after_the_result_gives_the_steps(servers: Servers) -> None:
    user = sender()
    run_interview(servers, user, RESEARCH_ANSWERS)
    steps = text_of(servers.say(user, "so what are my next steps?"))
    assert "Next steps towards AI Research Scientist" in steps and "Research experience" in steps
