"""End-to-end: what people mean, their latest words, short casual messages, and what is out of scope.

Each test is a short conversation with the real servers over REST. The sentences here are not in
the training data (tests/components/test_nlu.py keeps the held-out sets apart; these are ours).
"""
from __future__ import annotations

import uuid

import pytest

from tools.harness.servers import Servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]

OUT_OF_SCOPE = "I can't help with that"


def text_of(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def chat(servers: Servers, *turns: str) -> list[str]:
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    return [text_of(servers.say(sender, turn)) for turn in turns]


@pytest.mark.parametrize(
    "request_",
    ["how long will it take me to get to the supermarket by bus", "remind me to call my dentist tomorrow",
     "my car battery is dead, how do I jump start it", "what's a good recipe for banana bread"],
)
def test_everyday_requests_get_the_out_of_scope_reply(servers: Servers, request_: str) -> None:
    (reply,) = chat(servers, request_)
    assert OUT_OF_SCOPE in reply


def test_small_talk_stays_in_scope(servers: Servers) -> None:
    greeting, thanks = chat(servers, "hey there", "cheers, that helps")
    assert OUT_OF_SCOPE not in greeting + thanks
    assert "AI Research Scientist" in greeting


def test_an_out_of_scope_message_mid_interview_is_declined_and_the_question_asked_again(servers: Servers) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    first = text_of(servers.say(sender, "/start_interview"))  # the menu's button: what is tested is what follows
    question = first.strip().splitlines()[-1]
    reply = text_of(servers.say(sender, "order me a large pepperoni pizza"))
    assert OUT_OF_SCOPE in reply
    assert question in reply


def test_an_aspect_asked_without_its_keyword_is_answered(servers: Servers) -> None:
    (reply,) = chat(servers, "what would an interviewer want to see from someone applying as an ML engineer?")
    assert "AI Engineer: Skills and qualifications" in reply


def test_pay_asked_indirectly_is_declined_honestly(servers: Servers) -> None:
    (reply,) = chat(servers, "do research scientists get a bigger paycheck, given all those years of study?")
    assert "I don't have reliable information on pay" in reply


def test_a_role_named_in_the_follow_up_beats_the_context(servers: Servers) -> None:
    _, reply = chat(servers, "what projects does an AI engineer work on?", "and the research folks, what do they work on?")
    assert "AI Research Scientist: Typical projects" in reply


def test_a_correction_changes_the_role_and_keeps_the_topic(servers: Servers) -> None:
    _, reply = chat(servers, "what skills does an AI research scientist need?", "no, sorry, I meant engineers")
    assert "AI Engineer: Skills and qualifications" in reply


def test_the_compare_button_gives_the_full_comparison(servers: Servers) -> None:
    _, reply = chat(servers, "how does an AI engineer's career progress?", "/compare_roles")
    assert "The two roles advance AI from different ends" in reply


def test_tldr_shortens_the_last_answer(servers: Servers) -> None:
    full, short = chat(servers, "what does an AI research scientist do all day?", "tl;dr")
    assert short.startswith("In short:")
    assert len(short) < len(full)


def test_why_after_an_answer_explains_it_rather_than_asking_for_the_interview(servers: Servers) -> None:
    _, reply = chat(servers, "what degree does an AI research scientist need?", "why?")
    assert "You haven't done the interview yet" not in reply
    assert "AI Research Scientist" in reply


def test_a_plain_no_after_an_answer_is_not_a_correction_to_some_topic(servers: Servers) -> None:
    # The topic classifier reads "not interested" as skill development (0.87); a short "no" is no correction.
    _, reply = chat(servers, "what do AI engineers do all day?", "nope, not interested")
    assert "How to get there" not in reply and ": " not in reply.splitlines()[0], reply


def test_a_question_about_one_fact_gets_that_fact_and_its_role(servers: Servers) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    which = text_of(servers.say(sender, "which of the two roles ends up building chatbots?"))
    assert "That's the AI Engineers' side" in which and "chatbots" in which
    assert len(which.split()) <= 60  # a phone screen, not the whole section
    more = text_of(servers.say(sender, "tell me more"))
    assert "AI Engineer: Responsibilities" in more and "Integration" in more  # the rest of the topic
