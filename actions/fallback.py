"""When the assistant did not understand: two-stage fallback, and out-of-scope messages.

Rasa's two-stage fallback loop calls `action_default_ask_affirmation` first (overridden here to
offer the two most likely meanings as buttons, plus "Something else") and, after a second miss,
`action_default_fallback` (overridden to restate what the assistant can do, with its menu). Between
them it may ask to rephrase (`action_default_ask_rephrase`, overridden to decline out-of-scope
requests honestly).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction, intent_of, mentioned, send
from bot import answers, fallback


class ActionOfferGuesses(KnowledgeAction):
    """First stage: "Did you mean...?" with the best two guesses, or the menu when nothing is likely."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        ranking = [(str(r.get("name")), float(r.get("confidence") or 0.0))
                   for r in tracker.latest_message.get("intent_ranking") or []]
        entities = {kind: mentioned(tracker, kind) for kind in ("role", "aspect")}
        guesses = fallback.guesses(ranking=ranking, entities=entities, kb=self.kb)
        if guesses:
            send(dispatcher, answers.Answer(response="utter_offer_guesses", values={},
                                            buttons=(*guesses, fallback.something_else())))
        else:  # nothing is even likely (gibberish): ask to rephrase, with the menu as a way out
            send(dispatcher, answers.with_menu(self.kb, "utter_not_understood"))
        return []


class ActionGiveUp(KnowledgeAction):
    """Second miss: say plainly what the assistant can do, show the menu, and forget the message."""

    def name(self) -> str:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        send(dispatcher, answers.with_menu(self.kb, "utter_default"))
        return [UserUtteranceReverted()]


class ActionAskRephrase(KnowledgeAction):
    """Rasa's loop asks to rephrase when the reply to the first stage was not understood either.
    Rasa counts an out-of-scope message as "not clarified"; it is a new request, and gets the
    honest out-of-scope reply instead ("write me a poem about cats")."""

    def name(self) -> str:
        return "action_default_ask_rephrase"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        said = str(tracker.latest_message.get("text") or "")
        if intent_of(tracker) == "out_of_scope" and not said.startswith("/"):  # not the "Something else" button
            send(dispatcher, answers.with_menu(self.kb, "utter_out_of_scope"))
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []


class ActionOutOfScope(KnowledgeAction):
    """An honest "I can't help with that", what the assistant can do, and the menu."""

    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        send(dispatcher, answers.with_menu(self.kb, "utter_out_of_scope"))
        return []
