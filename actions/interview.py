"""Actions for the guided interview: start, ask, understand answers, recommend, and the detours."""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import context_events, context_of, intent_of, rasa_buttons, send
from actions.role_questions import ActionAnswerRole
from bot import answers, interview, knowledge, phrases, recommender, report
from bot.answers import Button
from bot.interview import Interview
from bot.interview_turn import Accept, Answer, Change, Leave, ReAsk, Turn, decide
from bot.knowledge import KnowledgeBase
from bot.questions import understand

FORM = "interview_form"
QUOTES = "interview_quotes"
RETRY = "interview_retry"
LAST_RESULT = "last_result"
#: Each result's verdict, role and scores as it is given (Recommendation.record), for the owner's report.
RECOMMENDATION = "recommendation"
REQUESTED = "requested_slot"
#: Answers stated before the interview started (actions/role_questions.py, ActionAnswerRole.lean).
STATED = "stated_answers"
#: Actions that may run between the user's message and the form without being a detour.
FORM_PLUMBING = {"action_listen", "action_extract_slots", FORM, f"validate_{FORM}", None}
#: The intent of an answer to an interview question.
ANSWER_INTENT = "inform"
#: How sure the classifier must have been that a declined message was an answer (the fallback threshold).
ANSWER_READING = 0.45
#: Below this in-domain score (components/meaning.py) a declined message is never an unclear answer.
ANSWER_MIN_DOMAIN_SCORE = 0.2


class InterviewAction(Action, ABC):
    """Base for interview actions: the knowledge base and the interview data, injectable."""

    def __init__(self, kb: KnowledgeBase | None = None, data: Interview | None = None) -> None:
        self.kb = kb if kb is not None else knowledge.load()
        self.interview = data if data is not None else interview.load()

    @abstractmethod
    def name(self) -> str:
        """Each concrete action names itself; this keeps the base abstract."""

    def answers(self, tracker: Tracker) -> dict[str, str | None]:
        return {t.id: tracker.get_slot(t.id) for t in self.interview.topics}

    def reset_events(self) -> list[EventType]:
        return [SlotSet(t.id, None) for t in self.interview.topics] + [
            SlotSet(QUOTES, {}), SlotSet(RETRY, None), SlotSet(REQUESTED, None)
        ]

    def last_result(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
        """The stored result, or None after offering the interview to someone who hasn't taken it."""
        last = tracker.get_slot(LAST_RESULT)
        if isinstance(last, dict) and last.get("answers"):
            return last
        dispatcher.utter_message(response="utter_no_result_yet")
        return None

    def show_result(self, dispatcher: CollectingDispatcher, answers_: dict[str, str | None],
                    quotes: dict[str, str]) -> recommender.Recommendation:
        rec = recommender.recommend(answers=answers_, interview=self.interview)
        for message in (report.summary(self.interview, answers_, quotes),
                        report.result(self.kb, self.interview, rec, answers_, quotes)):
            dispatcher.utter_message(response=message.response, buttons=rasa_buttons(message.buttons), **message.values)
        return rec


class ActionStartInterview(InterviewAction):
    """Explain what will happen and clear any earlier answers; the form then asks the first question.

    "I love maths and proofs, which of the two fits me?": what the message already says about the
    person is mapped as interview answers. They get a lean first, with the reasons in their own
    words, and count as answers, so the form asks only the rest.
    """

    def name(self) -> str:
        return "action_start_interview"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        stated: dict[str, str] = {}
        said = ""
        if not text.startswith("/") and intent_of(tracker) == "start_interview":
            said = interview.statement_part(text)  # "can you ask me the questions?" says nothing about the person
            stated = interview.stated_answers(self.interview, said) if said else {}
        earlier = tracker.get_slot(STATED)
        taken = not stated and isinstance(earlier, dict) and bool(earlier.get("answers"))  # the offer after a lean, taken
        if taken:
            stated = {t: str(v) for t, v in earlier["answers"].items() if t in self.interview.slots}
            said = str(earlier.get("said") or "")
        quotes = {topic_id: said for topic_id in stated} if said else {}
        if taken:  # the lean was just said: only which answers count
            counted = phrases.load().all_of([self.interview.topic(t).label for t in self.interview.slots if t in stated])
            dispatcher.utter_message(response="utter_interview_intro_counted", counted=counted)
        elif stated:
            message = report.lean(self.kb, self.interview, stated, quotes)
            dispatcher.utter_message(response=message.response, **message.values)
        else:
            dispatcher.utter_message(response="utter_interview_intro")
        if not stated:
            return [ActiveLoop(None), *self.reset_events()]
        return [ActiveLoop(None), *self.reset_events(), *(SlotSet(t, v) for t, v in stated.items()),
                SlotSet(QUOTES, quotes), SlotSet(STATED, None)]


class AskTopic(InterviewAction, ABC):
    """Ask one interview question, with its buttons; after an unclear answer, give examples first.

    The form calls `action_ask_<slot>`; each subclass only names its topic.
    """

    @property
    @abstractmethod
    def topic_id(self) -> str:
        """The interview topic (and form slot) this action asks about."""

    def name(self) -> str:
        return f"action_ask_{self.topic_id}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topic = self.interview.topic(self.topic_id)
        if tracker.get_slot(RETRY) == topic.id and _retry_set_this_turn(tracker):
            examples = phrases.load().examples(topic.examples[:3])
            dispatcher.utter_message(response="utter_interview_clarify", examples=examples)
        buttons = [Button(v.button, "inform", {"choice": v.id}) for v in topic.buttons if v.button]
        dispatcher.utter_message(text=topic.question, buttons=rasa_buttons(tuple(buttons)))
        return []


class ActionAskGoal(AskTopic):
    topic_id = "goal"


class ActionAskInterest(AskTopic):
    topic_id = "interest"


class ActionAskStrength(AskTopic):
    topic_id = "strength"


class ActionAskEducation(AskTopic):
    topic_id = "education"


class ActionAskEnvironment(AskTopic):
    topic_id = "environment"


class ActionAskAspiration(AskTopic):
    topic_id = "aspiration"


def _retry_set_this_turn(tracker: Tracker) -> bool:
    """True if the user's latest reply was just found unclear (so this ask is the re-ask)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == RETRY and event.get("value"):
            return True
    return False


def _detour_since_user_spoke(tracker: Tracker) -> bool:
    """True if some other action ran after the user's message (a digression or a control action)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in FORM_PLUMBING:
            return True
    return False


def _previous_bot_action(tracker: Tracker) -> str | None:
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None


class ValidateInterviewForm(FormValidationAction):
    """Turn the user's reply into the requested answer, or let a detour's rule take over."""

    def __init__(self, data: Interview | None = None, kb: KnowledgeBase | None = None) -> None:
        self.interview = data if data is not None else interview.load()
        self.kb = kb if kb is not None else knowledge.load()

    def name(self) -> str:
        return f"validate_{FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        match decide(interview=self.interview, turn=_turn(tracker, self.interview.slots)):
            case Accept(topic=topic_id, value=value, quotes=quotes, also=also):
                if also:  # a long answer that settles later questions too: they are skipped, and said so
                    noted = [f"{self.interview.topic(t).label} ({self.interview.topic(t).value(v).label})" for t, v in also.items()]
                    dispatcher.utter_message(response="utter_answers_noted", topics=phrases.load().all_of(noted))
                return [SlotSet(topic_id, value), *(SlotSet(t, v) for t, v in also.items()), SlotSet(QUOTES, dict(quotes)),
                        SlotSet(RETRY, None)]
            case ReAsk(topic=topic_id):
                return [SlotSet(RETRY, topic_id)]  # the question is asked again, with examples
            case Change(topic=topic_id, value=value, quotes=quotes):
                topic = self.interview.topic(topic_id)
                dispatcher.utter_message(response="utter_answer_changed", topic=topic.label, value=topic.value(value).label)
                return [SlotSet(topic_id, value), SlotSet(QUOTES, dict(quotes))]
            case Answer():
                return self.answer_question(dispatcher, tracker)  # then the form asks its question again
            case Leave():
                return []  # not an answer: a rule handles the message

    def answer_question(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Answer a question asked while a question is pending, as a question about the roles."""
        responder = ActionAnswerRole(self.kb)
        message = {**tracker.latest_message, "intent": {"name": "ask_aspect", "confidence": 1.0}}
        query = understand(message, context_of(tracker), self.kb)
        if query is None:
            return []
        events: list[EventType] = responder.answer(dispatcher, tracker, query)
        return events


def _turn(tracker: Tracker, topics: tuple[str, ...]) -> Turn:
    """The latest message and the interview's state, as the core's plain data."""
    choice = next((e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "choice"), None)
    return Turn(
        requested=_str_or_none(tracker.get_slot(REQUESTED)),
        text=str(tracker.latest_message.get("text") or ""),
        intent=_answer_intent(tracker),
        choice=_str_or_none(choice),
        choice_topic=_entity(tracker, "topic"),
        quotes=dict(tracker.get_slot(QUOTES) or {}),
        retry=_str_or_none(tracker.get_slot(RETRY)),
        detour_ran=_detour_since_user_spoke(tracker),
        previous_bot_action=_previous_bot_action(tracker),
        unanswered=frozenset(t for t in topics if tracker.get_slot(t) is None),
    )


def _answer_intent(tracker: Tracker) -> str:
    """The intent, except that an answer the open-world check declined is still an answer.

    The check (components/meaning.py) puts its verdict, with confidence 1, in front of the
    classifier's ranking. When the classifier itself read the message as an interview answer
    ("I like stuff") with some confidence, it is an unclear answer, re-asked with examples, not a
    request from outside the domain ("book me a flight", "purple elephants"), which is declined
    before the question comes again. Far from the domain (`ANSWER_MIN_DOMAIN_SCORE`: "purple
    elephants" scores 0.13, "I like stuff" 0.30), the classifier's reading does not count: it
    reads almost any two words as an answer.
    """
    intent = intent_of(tracker)
    ranking = tracker.latest_message.get("intent_ranking") or []
    score = tracker.latest_message.get("domain_score")
    near = score is None or float(score) >= ANSWER_MIN_DOMAIN_SCORE
    if (intent == "out_of_scope" and len(ranking) > 1 and ranking[0].get("confidence") == 1.0 and near
            and ranking[1].get("name") == ANSWER_INTENT and (ranking[1].get("confidence") or 0.0) >= ANSWER_READING):
        return ANSWER_INTENT
    return intent


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


class ActionRecommend(InterviewAction):
    """After the last answer: the summary, then the recommendation with its reasons."""

    def name(self) -> str:
        return "action_recommend"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        answers_ = self.answers(tracker)
        quotes = dict(tracker.get_slot(QUOTES) or {})
        rec = self.show_result(dispatcher, answers_, quotes)
        return [SlotSet(LAST_RESULT, {"answers": answers_, "quotes": quotes}), SlotSet(RECOMMENDATION, rec.record())]


class ActionShowResult(InterviewAction):
    """'Why?' / 'What was my result?': the last result again, or an offer to take the interview."""

    def name(self) -> str:
        return "action_show_result"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        role = tracker.get_slot("role")
        if not tracker.get_slot(LAST_RESULT) and asks_next_steps(text) and role in {r.id for r in self.kb.roles}:
            path = answers.role_aspect(self.kb, self.kb.role(role), self.kb.aspect("development"))  # no result: that role's path
            send(dispatcher, path)
            return context_events(path)
        stated = tracker.get_slot(STATED)
        if not tracker.get_slot(LAST_RESULT) and asks_why(text) and isinstance(stated, dict) and stated.get("answers"):
            said = str(stated.get("said") or "")  # "why do you say that?" after a lean: its reasons
            given = {t: str(v) for t, v in stated["answers"].items() if t in self.interview.slots}
            lean = report.lean(self.kb, self.interview, given, {t: said for t in given} if said else {})
            if lean.response == "utter_stated_lean":
                dispatcher.utter_message(response="utter_why_lean", role=lean.values["role"], reasons=lean.values["reasons"])
                return []
        if not tracker.get_slot(LAST_RESULT) and asks_why(text):
            reason = self.reason_for_last_answer(tracker)
            if reason is not None:  # "why?" after an answer about a role, with no result to explain
                send(dispatcher, reason)
                return context_events(reason)
        last = self.last_result(dispatcher, tracker)
        if last is None:
            return []
        answers_, quotes = dict(last["answers"]), dict(last.get("quotes") or {})
        if asks_next_steps(str(tracker.latest_message.get("text") or "")):  # "what should I do next?"
            rec = recommender.recommend(answers=answers_, interview=self.interview)
            message = report.next_steps(self.kb, rec, answers_)
            dispatcher.utter_message(response=message.response, buttons=rasa_buttons(message.buttons), **message.values)
            return []
        if asks_why(str(tracker.latest_message.get("text") or "")):  # the reasons, not the whole result again
            rec = recommender.recommend(answers=answers_, interview=self.interview)
            message = report.why(self.kb, self.interview, rec, answers_, quotes)
            dispatcher.utter_message(response=message.response, buttons=rasa_buttons(message.buttons), **message.values)
            return []
        self.show_result(dispatcher, answers_, quotes)
        return []

    def reason_for_last_answer(self, tracker: Tracker) -> answers.Answer | None:
        """The last answer's facts in more depth (the detail behind them), if it was about one role."""
        role, aspect = tracker.get_slot("role"), tracker.get_slot("aspect")
        if role not in {r.id for r in self.kb.roles}:
            return None
        topic = self.kb.aspect(aspect if aspect in self.kb.aspects else "overview")
        return answers.more(self.kb, self.kb.role(role), topic, detail_shown=bool(tracker.get_slot("detail_shown")))


#: "what should I do next?", "my next steps?", "where do I go from here": asking what to do about the result.
NEXT_STEPS = re.compile(
    r"\bnext (?:steps?|moves?)\b|\bwhat now\b|\bgo from here\b|\bwhat (?:should|do|can|shall) i do\b|"
    r"\bwhat do you suggest i\b|\bget started\b|\bsteps should i\b|\bwhat should i (?:work on|start with|focus on)\b",
    re.IGNORECASE,
)


def asks_next_steps(text: str) -> bool:
    return bool(NEXT_STEPS.search(text))


def asks_why(text: str) -> bool:
    """'why?', 'how come?': asking for the reason behind the last thing said."""
    return text.strip().lower().startswith(("why", "how come", "reason"))


class ActionChangeAnswer(InterviewAction):
    """Outside the interview: change one answer of the last result and show the new result.

    "make that a tech company" changes the one answer it fits; "actually, long term I'd lead a
    research team" the topic it names. When several answers fit, or none, it asks which, with
    buttons that carry the change (`/change_answer{"topic": ..., "choice": ...}`), or the topic
    alone, whose question then comes with its answer buttons.
    """

    def name(self) -> str:
        return "action_change_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        last = self.last_result(dispatcher, tracker)
        if last is None:
            return []
        text = str(tracker.latest_message.get("text") or "")
        topic_id, choice = _entity(tracker, "topic"), _entity(tracker, "choice")
        if topic_id in self.interview.slots:
            topic = self.interview.topic(topic_id)
            if choice is not None and topic.has(choice):
                return self.change(dispatcher, last, topic_id, choice, None)
            self.offer_values(dispatcher, topic_id)
            return []
        found = interview.changed_answers(self.interview, text) if not text.startswith("/") else []
        if len(found) == 1:
            topic_id, value = found[0]
            return self.change(dispatcher, last, topic_id, value, text)
        self.offer_changes(dispatcher, found)
        return []

    def change(self, dispatcher: CollectingDispatcher, last: dict[str, Any], topic_id: str, value: str,
               said: str | None) -> list[EventType]:
        answers_ = {**last["answers"], topic_id: value}
        quotes = {k: v for k, v in (last.get("quotes") or {}).items() if k != topic_id}
        if said:
            quotes[topic_id] = said
        topic = self.interview.topic(topic_id)
        dispatcher.utter_message(response="utter_answer_changed", topic=topic.label, value=topic.value(value).label)
        rec = self.show_result(dispatcher, answers_, quotes)
        return [SlotSet(topic_id, value), SlotSet(QUOTES, quotes), SlotSet(LAST_RESULT, {"answers": answers_, "quotes": quotes}),
                SlotSet(RECOMMENDATION, rec.record())]

    def offer_changes(self, dispatcher: CollectingDispatcher, found: list[tuple[str, str]]) -> None:
        """Which answer? The changes the message could mean, or else every topic."""
        if found:
            buttons = tuple(
                Button(f"{self.interview.topic(t).label.capitalize()}: {self.interview.topic(t).value(v).label}",
                       "change_answer", {"topic": t, "choice": v})
                for t, v in found[:answers.MAX_BUTTONS]
            )
        else:  # the first five topics; the text says how to name any of them, the last one included
            buttons = tuple(Button(t.label.capitalize(), "change_answer", {"topic": t.id})
                            for t in self.interview.topics[:answers.MAX_BUTTONS])
        dispatcher.utter_message(response="utter_which_answer_to_change", buttons=rasa_buttons(buttons))

    def offer_values(self, dispatcher: CollectingDispatcher, topic_id: str) -> None:
        topic = self.interview.topic(topic_id)
        buttons = tuple(Button(v.button or v.label, "change_answer", {"topic": topic.id, "choice": v.id})
                        for v in topic.buttons)
        dispatcher.utter_message(text=topic.question, buttons=rasa_buttons(buttons))


class ActionNoteAnswer(ActionChangeAnswer):
    """Something about oneself outside the interview ("I have a master's in statistics").

    After a result it changes the answer it clearly fits ("long term I'd lead a research
    team"); otherwise it offers the interview, which can use it.
    """

    def name(self) -> str:
        return "action_note_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        last = tracker.get_slot(LAST_RESULT)
        text = str(tracker.latest_message.get("text") or "")
        found = interview.changed_answers(self.interview, text) if isinstance(last, dict) and last.get("answers") else []
        if len(found) == 1:
            topic_id, value = found[0]
            return self.change(dispatcher, last, topic_id, value, text)
        if found:  # after a result, and it fits several answers: which one?
            self.offer_changes(dispatcher, found)
            return []
        if interview.asks_yes_or_no(text) or interview.asks_a_question(text):
            # "I have a master's in electronics, is it enough?": a question about one's situation, answered
            asked = {**tracker.latest_message, "intent": {"name": "ask_aspect", "confidence": 1.0}}
            query = understand(asked, context_of(tracker), self.kb)
            if query is not None:
                answered: list[EventType] = ActionAnswerRole(self.kb).answer(dispatcher, tracker, query)
                return answered
        dispatcher.utter_message(response="utter_offer_interview")
        return []


def _entity(tracker: Tracker, name: str) -> str | None:
    value = next((e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name), None)
    return None if value is None else str(value)


class ActionStopInterview(InterviewAction):
    """Leave the interview (after the user confirmed) and forget its answers."""

    def name(self) -> str:
        return "action_stop_interview"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_interview_stopped")
        return [ActiveLoop(None), *self.reset_events()]


class ActionGoBack(InterviewAction):
    """'Go back': forget the answer before the current question, so the form asks it again."""

    def name(self) -> str:
        return "action_go_back"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        order = list(self.interview.slots)
        requested = tracker.get_slot(REQUESTED)
        index = order.index(requested) if requested in order else len(order)
        answered = [t for t in order[:index] if tracker.get_slot(t) is not None]
        if not answered:
            return [SlotSet(RETRY, None)]
        previous = answered[-1]
        return [SlotSet(previous, None), SlotSet(REQUESTED, None), SlotSet(RETRY, None)]


class ActionRestart(InterviewAction):
    """Rasa's restart, plus what a new conversation shows: the greeting and menu.

    Stock `action_restart` wipes the conversation but does not run the session start again, so
    the user would be left with no introduction.
    """

    def name(self) -> str:
        return "action_restart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        send(dispatcher, answers.menu(self.kb))
        return [Restarted()]
