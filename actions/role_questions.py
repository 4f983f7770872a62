"""Actions that answer questions about the roles from the knowledge base."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import FACTS_ONLY, KnowledgeAction, context_events, context_of, send, send_fresh
from bot import answers, facts, interview, report
from bot.questions import Kind, Query, interpret, understand

#: The topics a question about one's own degree is answered on ("is my bachelor's enough?").
PERSONAL_ASPECTS = frozenset({None, "overview", "education", "skills", "development", "choose"})


class ActionAnswerRole(KnowledgeAction):
    """Overview, one aspect of a role, or a follow-up that switches the role."""

    def name(self) -> str:
        return "action_answer_role"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        if tracker.get_slot("last_result") and interview.requests_a_change(interview.load(), text):
            # "make that a tech company" after a result changes an answer, whatever topic it names
            from actions.interview import ActionChangeAnswer

            changed: list[EventType] = ActionChangeAnswer(self.kb).run(dispatcher, tracker, domain)
            return changed
        query = understand(tracker.latest_message, context_of(tracker), self.kb)
        if query is None:  # a rule sent another intent here: treat it as a question about the context
            query = interpret(intent="ask_aspect", roles=[], aspects=[], context=context_of(tracker), kb=self.kb)
        return self.answer(dispatcher, tracker, query)

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, query: Query) -> list[EventType]:
        """Send the answer to `query` (after a note on the neighbouring job it stands for, if any);
        facts already given in these words come back shortened, "as I said"."""
        text = str(tracker.latest_message.get("text") or "")
        if (query.aspect in (None, "overview", "choose") or query.kind in (Kind.COMPARE_ALL, Kind.ASK_ROLE)
                or interview.asks_which_fits(text)):  # "my son builds robots every weekend, which sounds like him?"
            leaned = self.lean(dispatcher, text)
            if leaned is not None:
                return leaned
        if query.related is not None:
            send(dispatcher, answers.related_role(self.kb, self.kb.related[query.related]))
        answer = self.for_the_person(query, text) or facts.answer(self.kb, query, tracker.latest_message) or self.compose(query)
        return [*send_fresh(dispatcher, tracker, self.kb, answer), *context_events(answer)]

    def lean(self, dispatcher: CollectingDispatcher, text: str) -> list[EventType] | None:
        """"I'd rather ship products than write papers, which job is that?": the lean those
        preferences give, in the user's words, and the interview offered with them counted."""
        if text.startswith("/") or not interview.asks_which(text):
            return None
        data = interview.load()
        said = interview.statement_part(text)  # what the question says about the person, not the question
        stated = interview.stated_answers(data, said) if said else {}
        if not stated:
            return None
        message = report.lean(self.kb, data, stated, {t: said for t in stated})
        if message.response == "utter_stated_lean":
            dispatcher.utter_message(response="utter_stated_lean_offer", **message.values)
        elif interview.asks_which_fits(text):  # "good at physics but builds robots, which sounds like him?"
            dispatcher.utter_message(response="utter_stated_no_lean_offer", **message.values)
        else:
            return None
        # the offer is marked in the conversation by its own action, so that a "yes" to it has a rule
        return [SlotSet("stated_answers", {"answers": stated, "said": said}), FollowupAction(ActionOfferInterview.NAME)]

    def for_the_person(self, query: Query, text: str) -> answers.Answer | None:
        """A yes/no question about the user's own degree and one role gets a direct answer first."""
        if query.kind not in (Kind.ROLE_ASPECT, Kind.OVERVIEW) or query.role is None or query.aspect not in PERSONAL_ASPECTS:
            return None
        if not interview.asks_yes_or_no(text):
            return None
        data = interview.load()
        education = interview.map_answer(data.topic("education"), text)
        if education is None or education in (interview.NOT_SURE, interview.BOTH):
            return None
        said = data.topic("education").value(education).label
        return answers.degree_fit(self.kb, self.kb.role(query.role), education, said)

    def compose(self, query: Query) -> answers.Answer:
        kb = self.kb
        if query.kind is Kind.UNCOVERED and query.topic:
            return answers.uncovered(kb, query.topic, query.role)
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


class ActionOfferInterview(Action):
    """Says nothing: it marks that the last answer offered the interview after a lean, so that the
    rules can start it on a plain "yes" (data/rules.yml)."""

    NAME = "action_offer_interview"

    def name(self) -> str:
        return self.NAME

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return []


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
        elif tracker.get_slot(FACTS_ONLY):  # after a few facts, the whole topic comes first
            answer = answers.role_aspect(self.kb, self.kb.role(context.role), aspect)
        else:
            answer = answers.more(
                self.kb, self.kb.role(context.role), aspect, detail_shown=bool(tracker.get_slot("detail_shown"))
            )
        send(dispatcher, answer)
        return context_events(answer)


class ActionShorten(KnowledgeAction):
    """'tl;dr', 'shorter please', 'huh?': the last answer in a line or two."""

    def name(self) -> str:
        return "action_shorten"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        context = context_of(tracker)
        roles = {r.id for r in self.kb.roles}
        if context.aspect not in self.kb.aspects and context.role not in roles:
            send(dispatcher, answers.with_menu(self.kb, "utter_nothing_to_shorten"))
            return []
        aspect = self.kb.aspect(context.aspect if context.aspect and context.aspect in self.kb.aspects else "overview")
        role = self.kb.role(context.role) if context.role and context.role in roles else None
        answer = answers.short(self.kb, role, aspect)
        send(dispatcher, answer)
        return context_events(answer)


class ActionDeny(ActionAnswerRole):
    """'No' on its own, or a correction of the last answer ("no, I meant for engineers").

    A "no" that names a role or a topic replaces that part of the last answer and keeps the
    rest; a bare "no" is acknowledged.
    """

    def name(self) -> str:
        return "action_deny"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        query = understand(tracker.latest_message, context_of(tracker), self.kb)
        if query is None:
            dispatcher.utter_message(response="utter_deny")
            return []
        return self.answer(dispatcher, tracker, query)


class ActionShowMenu(KnowledgeAction):
    """Greeting and 'what can you do': a short introduction with a menu of buttons."""

    def name(self) -> str:
        return "action_show_menu"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        send(dispatcher, answers.menu(self.kb))
        return []
