"""One conversation's stored events, walked in order into what the report counts.

What happened is read from what the assistant recorded as it happened, never from its wording:

- a *turn* is a user message and the bot's actions up to its next `action_listen`; its reply time
  runs from the stored message to the last bot message of the turn. The message is stored once
  understood, so the time to understand it is not included;
- what a turn was about: the `role` and `aspect` slots an answer sets (actions/base.py,
  context_events), and the actions that ran (`action_out_of_scope`, `utter_english_only`, ...);
- an *interview* runs from `action_start_interview` to `action_recommend` (completed),
  `action_stop_interview` (stopped), another start (started over) or the end (unfinished); the
  question pending is the `requested_slot`, an answer is its topic's slot set by the form, a
  re-ask is `interview_retry`;
- a *result* is the `recommendation` slot (bot/recommender.py, Recommendation.record);
- an *apology* for a failed action is the bot message server/patches/faults.py stores with the
  unanswered text in its metadata, outside any turn (the turn itself was undone, so no user message
  is stored): the walk notes the bot messages sent outside a turn, and report.py reads which are apologies.

Slots that `action_session_start` sets again at a new session are carried over, not new, and are skipped.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from insights.events import ACTION, BOT, RESTART, SESSION_STARTED, SLOT, USER, Row

LISTEN = "action_listen"
SESSION_START = "action_session_start"
START, STOP, RECOMMEND = "action_start_interview", "action_stop_interview", "action_recommend"
RESTART_ACTION = "action_restart"
#: The actions under which the interview form stores an answer.
FORM_ACTIONS = frozenset({"interview_form", "validate_interview_form"})
REQUESTED, RETRY, ROLE, ASPECT, RECOMMENDATION = "requested_slot", "interview_retry", "role", "aspect", "recommendation"
#: The slots the walk reads, besides the interview's answers.
CONTEXT_SLOTS = (REQUESTED, RETRY, ROLE, ASPECT, RECOMMENDATION)
#: The actions the walk reads (others only tell what a turn did, see figures.py).
ACTIONS = frozenset({LISTEN, SESSION_START, START, STOP, RECOMMEND, RESTART_ACTION, *FORM_ACTIONS})

#: How an interview ended.
COMPLETED, STOPPED, STARTED_OVER, UNFINISHED = "completed", "stopped", "started over", "unfinished"
#: How a question was answered: a button, typed words, or words said earlier (to another question, or before the interview).
BUTTON, TYPED, EARLIER = "button", "typed", "earlier"


@dataclass
class Turn:
    """A user message and the bot's reply to it."""

    event_id: int
    timestamp: float
    intent: str | None
    payload: bool = False  # a button's payload, not typed words
    actions: list[str] = field(default_factory=list)
    role: str | None = None
    aspect: str | None = None
    last_reply: float | None = None  # when the turn's last bot message was stored


@dataclass
class Answer:
    """The first answer to one interview question."""

    topic: str
    by: str  # BUTTON or TYPED (answering the question pending), or EARLIER (said before it was asked)
    reasked: bool  # the question had been asked again first, after an unclear answer


@dataclass
class InterviewRun:
    """One interview, from its start to its end."""

    started: float
    asked: list[str] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    outcome: str = UNFINISHED
    at: str | None = None  # the question pending when it stopped or was left
    reasked: set[str] = field(default_factory=set)


@dataclass
class Conversation:
    """What the report counts of one conversation, under its channel and hashed id."""

    key: str
    channel: str
    turns: list[Turn] = field(default_factory=list)
    interviews: list[InterviewRun] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    unprompted: list[int] = field(default_factory=list)  # bot messages sent outside any turn (event ids)
    apologies: int = 0  # of those, the apologies for a failed action
    sessions: set[int] = field(default_factory=set)  # the sessions with a user message
    earlier: bool = False  # it had a user message before the period

    @property
    def returning(self) -> bool:
        return self.earlier or len(self.sessions) > 1


def walk(rows: Iterable[Row], *, topics: Sequence[str], key: Callable[[str], str],
         channel: Callable[[str], str]) -> list[tuple[str, Conversation]]:
    """Each conversation in `rows` (in the order they were stored), with its sender id, by sender id.

    `key(sender)` hashes the id; `channel(sender)` names its channel.
    """
    walkers: dict[str, _Walker] = {}
    known = frozenset(topics)
    for row in rows:
        walker = walkers.get(row.sender)
        if walker is None:
            walker = walkers[row.sender] = _Walker(Conversation(key=key(row.sender), channel=channel(row.sender)), topics=known)
        walker.step(row)
    for walker in walkers.values():
        walker.end()
    return [(sender, walkers[sender].conversation) for sender in sorted(walkers)]


class _Walker:
    def __init__(self, conversation: Conversation, *, topics: frozenset[str]) -> None:
        self.conversation = conversation
        self.topics = topics
        self.action: str | None = None  # the last action: the one that set the slots that follow
        self.requested: str | None = None  # the interview question pending
        self.pending: str | None = None  # the question pending when the user last spoke
        self.turn: Turn | None = None  # the turn under way (None once the bot listens again)
        self.interview: InterviewRun | None = None
        self.session = 0

    def step(self, row: Row) -> None:
        kind = row.kind  # most often first: actions, slots, bot messages, user messages
        if kind == ACTION:
            self.on_action(row)
        elif kind == SLOT:
            if self.action != SESSION_START:  # a new session's carried-over slots were set before
                self.on_slot(str(row.name), row.value)
        elif kind == BOT:
            if self.turn is not None:
                self.turn.last_reply = row.timestamp
            else:
                self.conversation.unprompted.append(row.id)
        elif kind == USER:
            self.turn = Turn(row.id, row.timestamp, row.name, payload=row.payload)
            self.conversation.turns.append(self.turn)
            self.conversation.sessions.add(self.session)
            self.pending = self.requested
        elif kind == SESSION_STARTED:
            self.session += 1
            self.end_interview(UNFINISHED)  # a new session does not resume an interview
        elif kind == RESTART:
            self.end_interview(UNFINISHED)
            self.requested = None

    def on_action(self, row: Row) -> None:
        name = str(row.name)
        self.action = name
        if name == LISTEN:
            self.turn = None
            return
        if self.turn is not None:
            self.turn.actions.append(name)
        if name == START:
            self.end_interview(STARTED_OVER)
            self.interview = InterviewRun(started=row.timestamp)
            self.conversation.interviews.append(self.interview)
        elif name == STOP:
            self.end_interview(STOPPED)
        elif name == RECOMMEND:
            self.end_interview(COMPLETED)
        elif name == RESTART_ACTION:
            self.end_interview(UNFINISHED)

    def on_slot(self, name: str, value: Any) -> None:
        interview = self.interview
        if name == REQUESTED:
            self.requested = value if isinstance(value, str) else None
            if interview is not None and self.requested and self.requested not in interview.asked:
                interview.asked.append(self.requested)
        elif name == RETRY:
            if interview is not None and isinstance(value, str):
                interview.reasked.add(value)
        elif name in self.topics:
            if interview is not None and value is not None and name not in interview.answers and (
                    self.action in FORM_ACTIONS or self.action == START):
                if self.action in FORM_ACTIONS and name == self.pending and self.turn is not None:
                    by = BUTTON if self.turn.payload else TYPED
                else:
                    by = EARLIER
                interview.answers[name] = Answer(topic=name, by=by, reasked=name in interview.reasked)
        elif name in (ROLE, ASPECT):
            if self.turn is not None and isinstance(value, str):
                setattr(self.turn, name, value)
        elif name == RECOMMENDATION and isinstance(value, dict):
            self.conversation.results.append(value)

    def end_interview(self, outcome: str) -> None:
        if self.interview is not None:
            self.interview.outcome = outcome
            if outcome != COMPLETED:
                self.interview.at = self.requested
            self.interview = None

    def end(self) -> None:
        self.end_interview(UNFINISHED)
