"""What every knowledge-base action shares: the KB, reading the tracker, and sending an Answer."""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import replace

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import answers, knowledge, questions
from bot.answers import Answer, Button
from bot.knowledge import KnowledgeBase
from bot.questions import Context


class KnowledgeAction(Action, ABC):
    """Base for actions that answer from the knowledge base. Abstract, so never registered."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb if kb is not None else knowledge.load()

    @abstractmethod
    def name(self) -> str:
        """Each concrete action names itself; this keeps the base abstract."""


def rasa_buttons(buttons: tuple[Button, ...]) -> list[dict[str, str]]:
    """Buttons whose payloads trigger an intent with entities directly (no NLU round trip)."""
    out = []
    for button in buttons:
        payload = "/" + button.intent
        if button.entities:
            payload += json.dumps(button.entities, separators=(",", ":"))
        out.append({"title": button.title, "payload": payload})
    return out


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    dispatcher.utter_message(response=answer.response, buttons=rasa_buttons(answer.buttons), **answer.values)


#: The slot listing the answers already given in this conversation (`answer_key`).
GIVEN = "answers_given"
#: The slot saying the last answer gave only some facts of its topic: "tell me more" gives the rest first.
FACTS_ONLY = "facts_only"
#: Answers that state facts: the ones never to repeat word for word.
FACT_RESPONSES = frozenset({"utter_role_aspect", "utter_role_overview", "utter_compare_aspect", "utter_compare_all",
                            "utter_facts", "utter_facts_which", "utter_facts_other_side", "utter_facts_unsettled"})
#: How many given answers the conversation remembers.
MAX_GIVEN = 40


def answer_key(answer: Answer) -> str:
    """What identifies an answer's wording: the response, its role, topic and depth."""
    key = f"{answer.response}:{answer.role or '-'}:{answer.aspect or '-'}:{int(answer.detailed)}"
    return key + (":" + ",".join(answer.facts) if answer.facts else "")


def send_fresh(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, answer: Answer) -> list[EventType]:
    """Send `answer`, or, if the same facts were already given in these words, a short "as I said".

    The full version stays one "tell me more" away (its buttons come along). Returns the
    events that remember the answer as given.
    """
    given = [str(k) for k in tracker.get_slot(GIVEN) or []]
    key = answer_key(answer)
    if answer.response in FACT_RESPONSES and key in given:
        if answer.facts:  # the first fact alone
            again = replace(answer, values={"short": answers.fact_line(kb.fact(answer.facts[0]))})
        else:
            role = kb.role(answer.role) if answer.role in {r.id for r in kb.roles} else None
            aspect = kb.aspect(answer.aspect if answer.aspect and answer.aspect in kb.aspects else "overview")
            again = answers.short(kb, role, aspect)
        send(dispatcher, replace(again, response="utter_as_i_said", buttons=answer.buttons or again.buttons))
        return []
    send(dispatcher, answer)
    return [SlotSet(GIVEN, [*given, key][-MAX_GIVEN:])] if answer.response in FACT_RESPONSES else []


def context_events(answer: Answer) -> list[EventType]:
    """Remember what the answer was about, so that follow-ups can refer back to it."""
    events: list[EventType] = [SlotSet("detail_shown", answer.detailed), SlotSet(FACTS_ONLY, bool(answer.facts))]
    if answer.role is not None:
        events.append(SlotSet("role", answer.role))
    if answer.aspect is not None:
        events.append(SlotSet("aspect", answer.aspect))
    return events


def context_of(tracker: Tracker) -> Context:
    return Context(role=tracker.get_slot("role"), aspect=tracker.get_slot("aspect"))


def mentioned(tracker: Tracker, entity: str) -> list[str]:
    """Entity values of the latest message, most preferred first (bot.questions.mentioned)."""
    return questions.mentioned(tracker.latest_message, entity)


def intent_of(tracker: Tracker) -> str:
    """The latest message's intent (also for button payloads, which carry no ranking)."""
    intent = tracker.latest_message.get("intent") or {}
    return str(intent.get("name") or "")
