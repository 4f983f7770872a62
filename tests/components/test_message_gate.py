"""The message gate: foreign messages, messages with no words, and requests for the interview by name."""
from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.interview import requests_the_interview
from components.message_gate import MessageGate


def gated(text: str, intent: str) -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.8},
                            "intent_ranking": [{"name": intent, "confidence": 0.8}]})
    MessageGate.create({}, MagicMock(), MagicMock(), MagicMock()).process([message])
    return message


@pytest.mark.parametrize("text", ["I'm a third-year CS student and can't decide about a PhD. Can we do the interview thing?",
                                  "could you run the questionnaire for me?", "lets do the interview for my son",
                                  "I want to do the career assessment"])
def test_a_request_for_the_interview_by_name_starts_it(text: str) -> None:
    assert requests_the_interview(text)
    message = gated(text, "ask_aspect")
    assert message.get("intent")["name"] == "start_interview"
    assert [r["name"] for r in message.get("intent_ranking")] == ["start_interview", "ask_aspect"]


@pytest.mark.parametrize("text", ["how do I prepare for a job interview?", "stop the interview", "what is the interview?",
                                  "what do they ask in the interview for research jobs", "do research scientists do interviews?"])
def test_other_mentions_of_an_interview_are_left_to_the_classifier(text: str) -> None:
    assert not requests_the_interview(text)
    assert gated(text, "ask_aspect").get("intent")["name"] == "ask_aspect"


def test_steering_intents_are_left_alone() -> None:
    assert gated("let's redo the interview", "restart_interview").get("intent")["name"] == "restart_interview"


def test_a_message_with_no_words_gets_the_fallback_with_no_guesses() -> None:
    message = gated("🤔🤔", "greet")
    assert message.get("intent")["name"] == "nlu_fallback" and len(message.get("intent_ranking")) == 1


def test_a_correction_the_classifier_could_not_place_is_a_change_of_answer() -> None:
    corrected = gated("oh wait, actually I have a master's now, finished last month", "out_of_scope")
    assert corrected.get("intent")["name"] == "change_answer"
    assert gated("oh wait, what's the weather?", "out_of_scope").get("intent")["name"] == "out_of_scope"
