"""One turn of the interview: is the user's message an answer, a correction, unclear, or a detour?

Plain data in (a `Turn`: what the tracker says about the latest message), plain data out (a
`Decision`); the form's validation action only reads the turn and applies the decision.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.interview import (
    CHANGE_WORDS,
    CORRECTION_START,
    NOT_SURE,
    Interview,
    asks_a_question,
    find_changed_answer,
    later_answers,
    looks_like_question,
    map_answer,
    named_topics,
)

#: Questions that interrupt the interview (when phrased as a question); their rules answer, then re-ask.
QUESTIONS = frozenset({"ask_role_overview", "ask_aspect", "ask_followup", "compare_roles", "ask_more", "out_of_scope",
                       "ask_result"})
#: Small talk that interrupts the interview whenever it is not also an answer.
SMALL_TALK = frozenset({"ask_capabilities", "bot_challenge", "greet", "thank", "goodbye", "how_are_you", "who_made_you",
                        "insult", "non_english"})
#: Small talk, and messages from outside the domain ("i have to jump start my car"), question or not:
#: a digression whenever they are not also an answer.
NOT_ANSWERS = SMALL_TALK | {"out_of_scope"}
#: Intents that steer the interview itself; their rules handle them.
CONTROLS = frozenset({"stop_interview", "restart_interview", "go_back"})
#: Intents no rule answers during the interview: a real question read as one of these is answered
#: by the form's validation itself ("sorry, before that, what does corporate R&D mean?").
NO_RULE = frozenset({"inform", "change_answer"})
#: The intent for "actually, I meant ..." when NLU recognises it.
CHANGE_INTENT = "change_answer"
#: The bot's "stop the interview?" question: the yes/no that follows it is for the stop rules.
STOP_QUESTION = "utter_ask_confirm_stop"

LeaveReason = Literal["no_question", "detour_ran", "stop_confirmation", "control", "digression"]


@dataclass(frozen=True)
class Turn:
    """What the conversation says about the user's latest message while the interview runs."""

    requested: str | None
    text: str = ""
    intent: str = ""
    choice: str | None = None  # the value a button carried, if any
    choice_topic: str | None = None  # the topic a change button carried with it, if any
    quotes: Mapping[str, str] = field(default_factory=dict)  # the user's own words, by topic
    retry: str | None = None  # the topic whose answer was already found unclear once
    detour_ran: bool = False  # another action (a digression's or a control's) ran after the message
    previous_bot_action: str | None = None  # what the bot did before the user spoke
    unanswered: frozenset[str] = frozenset()  # the topics with no answer yet


@dataclass(frozen=True)
class Accept:
    """`value` answers `topic`; `quotes` are the user's words to keep; any re-ask is over."""

    topic: str
    value: str
    quotes: Mapping[str, str]
    also: Mapping[str, str] = field(default_factory=dict)  # later topics the same answer settles


@dataclass(frozen=True)
class ReAsk:
    """The answer to `topic` was unclear: ask it again, with examples (once only)."""

    topic: str


@dataclass(frozen=True)
class Change:
    """The message changes the earlier answer to `topic`; the requested question stays open."""

    topic: str
    value: str
    quotes: Mapping[str, str]


@dataclass(frozen=True)
class Leave:
    """Not an answer: set nothing, and let a rule (or the next turn) handle the message."""

    reason: LeaveReason


@dataclass(frozen=True)
class Answer:
    """A question no rule answers: answer it, store nothing, and let the form ask `topic` again."""

    topic: str


Decision = Accept | ReAsk | Change | Leave | Answer


def decide(*, interview: Interview, turn: Turn) -> Decision:
    """Accept the message as the requested answer, re-ask, change an earlier answer, or leave it to the rules."""
    if turn.requested is None or turn.requested not in interview.slots:
        return Leave("no_question")
    if turn.detour_ran:
        return Leave("detour_ran")
    if turn.previous_bot_action == STOP_QUESTION:
        return Leave("stop_confirmation")
    if turn.intent in CONTROLS:
        return Leave("control")
    topic = interview.topic(turn.requested)
    if turn.choice_topic in interview.slots and turn.choice_topic != topic.id:  # an earlier result's change button
        earlier = interview.topic(turn.choice_topic)
        if turn.choice is not None and earlier.has(turn.choice):
            return Change(earlier.id, turn.choice, {k: v for k, v in turn.quotes.items() if k != earlier.id})
        return Leave("control")
    if turn.choice is not None and topic.has(turn.choice):
        return Accept(topic.id, turn.choice, {k: v for k, v in turn.quotes.items() if k != topic.id})

    # A real question ("wait, is a master's enough?", "do they have to publish a lot? I'm a slow
    # writer") is never an answer or a change, whatever words it shares with one.
    question = asks_a_question(turn.text) and not CHANGE_WORDS.search(turn.text)
    changed = None if question else _changed_answer(interview, turn)
    if changed is not None:
        other, new_value = changed
        return Change(other, new_value, {**turn.quotes, other: turn.text})
    if question:
        return Answer(topic.id) if turn.intent in NO_RULE else Leave("digression")

    value = map_answer(topic, turn.text)
    asking = looks_like_question(turn.text)
    if (turn.intent in QUESTIONS and asking) or (turn.intent in NOT_ANSWERS and value is None):
        return Leave("digression")  # its rule answers (or declines), then the form asks again
    if value is None and not asking:
        # "bachelor's, finishing next year" while the workplace is asked, with education answered
        # already: the answer it clearly gives is a change of that one; the question stays open.
        given = find_changed_answer(interview, turn.text, exclude=topic.id)
        if given is not None and given[0] not in turn.unanswered:
            return Change(given[0], given[1], {**turn.quotes, given[0]: turn.text})
    if value is None and turn.retry != topic.id:
        return ReAsk(topic.id)
    quotes = {**turn.quotes, topic.id: turn.text} if turn.text.strip() else dict(turn.quotes)
    also = later_answers(interview, topic, turn.text, unanswered=turn.unanswered) if value is not None else {}
    quotes.update({other: turn.text for other in also})
    return Accept(topic.id, value if value is not None else NOT_SURE, quotes, also)  # one re-ask only: never loops


def _changed_answer(interview: Interview, turn: Turn) -> tuple[str, str] | None:
    if turn.intent != CHANGE_INTENT and not CORRECTION_START.search(turn.text):
        return None
    requested = str(turn.requested)
    if not named_topics(interview, turn.text) - {requested} and map_answer(interview.topic(requested), turn.text) is not None:
        return None  # "practical solutions actually", with the goal asked and no other topic named: its answer
    return find_changed_answer(interview, turn.text, exclude=requested)
