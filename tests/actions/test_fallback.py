"""Not understood: the two best guesses as readable buttons, then the menu; out of scope: the menu."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionAskRephrase, ActionGiveUp, ActionOfferGuesses, ActionOutOfScope
from bot import fallback, knowledge, phrases
from bot.answers import MAX_BUTTONS, Button
from tests.support.helpers import aspect, make_tracker, role

RS, EN = "ai_research_scientist", "ai_engineer"


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


def ranked(*intents: str) -> list[tuple[str, float]]:
    return [(intent, 0.4 / (index + 1)) for index, intent in enumerate(intents)]


def titles(buttons: Any) -> list[str]:
    return [b.title for b in buttons]


def test_two_best_guesses_then_something_else(kb: knowledge.KnowledgeBase) -> None:
    buttons = fallback.guesses(ranking=ranked("nlu_fallback", "ask_aspect", "compare_roles", "greet"),
                               entities={"role": [EN], "aspect": ["skills"]}, kb=kb)
    assert titles(buttons) == ["Skills and qualifications of an AI Engineer", "Compare the roles: skills and qualifications"]
    assert buttons[0].intent == "ask_aspect" and buttons[0].entities == {"role": EN, "aspect": "skills"}
    assert fallback.something_else() == Button("Something else", "out_of_scope")  # "out_of_scope": Rasa's fallback loop reads "no"


def test_guesses_without_entities_still_read_well(kb: knowledge.KnowledgeBase) -> None:
    buttons = fallback.guesses(ranking=ranked("ask_role_overview", "start_interview"), entities={}, kb=kb)
    assert titles(buttons) == ["What each role does", "Which role suits me?"]
    assert all(not b.entities for b in buttons)


def test_never_offers_insults_out_of_scope_or_the_fallback_itself(kb: knowledge.KnowledgeBase) -> None:
    ranking = [(intent, 0.2) for intent in ("nlu_fallback", "insult", "out_of_scope", "non_english", "thank")]
    buttons = fallback.guesses(ranking=ranking, entities={}, kb=kb)
    assert titles(buttons) == ["Saying thanks"]


def test_unlikely_guesses_are_not_offered(kb: knowledge.KnowledgeBase) -> None:
    ranking = [("nlu_fallback", 0.9), ("ask_aspect", 0.3), ("greet", 0.05), ("thank", 0.04)]
    assert titles(fallback.guesses(ranking=ranking, entities={}, kb=kb)) == ["A question about one role"]
    assert fallback.guesses(ranking=[("greet", 0.06), ("thank", 0.05)], entities={}, kb=kb) == ()


def test_unknown_entity_values_are_not_carried(kb: knowledge.KnowledgeBase) -> None:
    buttons = fallback.guesses(ranking=ranked("ask_aspect"), entities={"role": ["astronaut"], "aspect": ["skills"]}, kb=kb)
    assert buttons[0].entities == {"aspect": "skills"}
    assert buttons[0].title == "Skills and qualifications of each role"


def test_each_intent_the_model_knows_has_a_label_or_is_never_offered() -> None:
    intents = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())["intents"]
    labels = phrases.load().guesses
    missing = [i for i in intents if i not in labels and i not in fallback.NOT_OFFERED]
    assert not missing
    unknown = [i for i in labels if i not in intents]
    assert not unknown, f"bot/phrases.yml labels intents the model does not know: {unknown}"


def run(action: Any, **tracker_args: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, make_tracker(**tracker_args), {})
    return dispatcher.messages, events


def test_offer_guesses_action_sends_payloads_that_answer_directly(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionOfferGuesses(kb), intent="nlu_fallback", text="engineer skils??",
                           entities=[role(EN), aspect("skills")], ranking=["nlu_fallback", "ask_aspect", "ask_followup"])
    assert events == []
    [message] = messages
    assert message["response"] == "utter_offer_guesses"
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0].startswith("/ask_aspect{")
    assert json.loads(payloads[0][len("/ask_aspect"):]) == {"role": EN, "aspect": "skills"}
    assert payloads[-1] == "/out_of_scope"
    assert [b["title"] for b in message["buttons"]] == [
        "Skills and qualifications of an AI Engineer", "Same question about an AI Engineer", "Something else"]


def test_when_nothing_is_likely_it_asks_to_rephrase_with_the_menu(kb: knowledge.KnowledgeBase) -> None:
    messages, _ = run(ActionOfferGuesses(kb), intent="nlu_fallback", text="blorp snazzle", ranking=[])
    [message] = messages
    assert message["response"] == "utter_not_understood"
    assert "Which role suits me?" in [b["title"] for b in message["buttons"]]


def test_giving_up_restates_the_menu_and_forgets_the_message(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionGiveUp(kb), intent="out_of_scope")
    assert events == [UserUtteranceReverted()]
    [message] = messages
    assert message["response"] == "utter_default"
    assert "Which role suits me?" in [b["title"] for b in message["buttons"]]
    assert len(message["buttons"]) <= MAX_BUTTONS


def test_out_of_scope_says_so_and_shows_the_menu(kb: knowledge.KnowledgeBase) -> None:
    messages, events = run(ActionOutOfScope(kb), intent="out_of_scope", text="what's the weather")
    assert events == []
    [message] = messages
    assert message["response"] == "utter_out_of_scope"
    assert message["roles"] == "AI Research Scientist and AI Engineer"
    assert len(message["buttons"]) == MAX_BUTTONS


def test_an_out_of_scope_reply_to_the_fallback_is_declined_not_asked_to_rephrase() -> None:
    dispatcher = CollectingDispatcher()
    ActionAskRephrase(knowledge.load()).run(dispatcher, make_tracker(intent="out_of_scope", text="write me a poem about cats"), {})
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"
    dispatcher = CollectingDispatcher()
    ActionAskRephrase(knowledge.load()).run(dispatcher, make_tracker(intent="nlu_fallback", text="hmm things"), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"
    dispatcher = CollectingDispatcher()  # the "Something else" button carries /out_of_scope: it asks to rephrase
    ActionAskRephrase(knowledge.load()).run(dispatcher, make_tracker(intent="out_of_scope", text="/out_of_scope"), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"
