"""Actions that answer questions about the roles from the knowledge base."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction, context_events, context_of, intent_of, mentioned, send
from bot import answers
from bot.questions import Kind, Query, interpret


class ActionAnswerRole(KnowledgeAction):
    """Overview, one aspect of a role, or a follow-up that switches the role."""

    def name(self) -> str:
        return "action_answer_role"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        query = interpret(
            intent=intent_of(tracker),
            roles=mentioned(tracker, "role"),
            aspects=mentioned(tracker, "aspect"),
            context=context_of(tracker),
            kb=self.kb,
            related=mentioned(tracker, "related_role"),
        )
        if query.related is not None:
            send(dispatcher, answers.related_role(self.kb, self.kb.related[query.related]))
        answer = self.compose(query)
        send(dispatcher, answer)
        return context_events(answer)

    def compose(self, query: Query) -> answers.Answer:
        kb = self.kb
        if query.kind is Kind.UNCOVERED and query.topic:
            return answers.uncovered(kb, query.topic)
        if query.kind is Kind.ASK_ROLE:
            return answers.ask_role(kb, kb.aspect(query.aspect or "overview"))
        if query.kind is Kind.COMPARE_ALL:
            return answers.compare_all(kb)
        if query.kind is Kind.COMPARE_ASPECT and query.aspect:
            return answers.compare_aspect(kb, kb.aspect(query.aspect))
        role = kb.role(query.role or kb.roles[0].id)
        if query.kind is Kind.OVERVIEW or not query.aspect:
            return answers.overview(kb, role)
        return answers.role_aspect(kb, role, kb.aspect(query.aspect))


class ActionCompareRoles(ActionAnswerRole):
    """The roles side by side: overall, or on one aspect."""

    def name(self) -> str:
        return "action_compare_roles"


class ActionTellMore(KnowledgeAction):
    """'Tell me more' about whatever the last answer covered."""

    def name(self) -> str:
        return "action_tell_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        context = context_of(tracker)
        aspect = self.kb.aspect(context.aspect if context.aspect and context.aspect in self.kb.aspects else "overview")
        if context.role is None or context.role not in {r.id for r in self.kb.roles}:
            answer = answers.ask_role(self.kb, aspect)
        else:
            answer = answers.more(
                self.kb, self.kb.role(context.role), aspect, detail_shown=bool(tracker.get_slot("detail_shown"))
            )
        send(dispatcher, answer)
        return context_events(answer)


class ActionShowMenu(KnowledgeAction):
    """Greeting and 'what can you do': a short introduction with a menu of buttons."""

    def name(self) -> str:
        return "action_show_menu"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        send(dispatcher, answers.menu(self.kb))
        return []
