"""The figures of a period for one set of conversations (one channel, or all of them).

Counts come from conversations.py's walk; the messages it could not answer come grouped
(grouping.py) and masked (privacy.py). Names shown are the knowledge base's and the interview's
own labels (bot/roles.yml, bot/interview.yml).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from bot.interview import Interview
from bot.knowledge import KnowledgeBase
from bot.recommender import BALANCED, RECOMMENDED, TIE
from insights.conversations import BUTTON, COMPLETED, EARLIER, STARTED_OVER, STOPPED, TYPED, UNFINISHED, Conversation, Turn
from insights.grouping import Group

#: What the assistant could not answer, by what it did instead.
NOT_ENGLISH, DECLINED, OUT_OF_SCOPE, FALLBACK = "not in English", "declined", "out of scope", "not understood"
UNANSWERED_KINDS = (OUT_OF_SCOPE, FALLBACK, DECLINED, NOT_ENGLISH)
#: Score buckets of the distribution: 0-9%, 10-19%, ..., 90-100%.
SCORE_BUCKETS = 10
#: Examples shown for a group of messages it could not answer.
EXAMPLES = 3
COMPARE, OUT_OF_SCOPE_REPLY, REPHRASE, ENGLISH_ONLY = (
    "action_compare_roles", "action_out_of_scope", "action_default_ask_rephrase", "utter_english_only")
#: The actions that tell what a turn did.
ACTIONS = frozenset({COMPARE, OUT_OF_SCOPE_REPLY, REPHRASE, ENGLISH_ONLY})
#: The figures of every channel together.
ALL = "all"


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class Question:
    """One interview question in the funnel: how many interviews asked it, got it answered, stopped or were left there."""

    label: str
    asked: int
    answered: int
    stopped: int
    unfinished: int


@dataclass(frozen=True)
class Funnel:
    started: int
    completed: int
    stopped: int
    started_over: int
    unfinished: int
    questions: tuple[Question, ...]
    by_button: int  # answers to the question asked, by button
    typed: int  # ... in the person's own words
    earlier: int  # questions settled by what was said before (at the start, or answering another question)
    reasked: int  # answers that came after the question was asked again


@dataclass(frozen=True)
class Results:
    total: int
    verdicts: tuple[Count, ...]  # each role recommended, then balanced, then tie
    distribution: tuple[tuple[str, tuple[int, ...]], ...]  # per role: results whose score fell in each bucket


@dataclass(frozen=True)
class Speed:
    turns: int  # turns with a reply, timed
    p50_ms: int | None
    p95_ms: int | None
    apologies: int  # turns that got the apology for a failed action
    apology_share: float  # of all turns


@dataclass(frozen=True)
class Unanswered:
    """Messages it could not answer that say much the same: one line of the owner's list."""

    kind: str
    label: str
    count: int
    conversations: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    channel: str
    conversations: int
    messages: int
    returning: int
    intents: tuple[Count, ...]
    roles: tuple[Count, ...]
    aspects: tuple[Count, ...]
    comparisons: tuple[Count, ...]
    unanswered: tuple[Unanswered, ...]
    unanswered_by_kind: tuple[Count, ...]
    funnel: Funnel
    results: Results
    speed: Speed


@dataclass(frozen=True)
class Unheard:
    """One message it could not answer: its kind, the declined topic's label, its masked text, whose conversation."""

    event_id: int
    kind: str
    topic: str | None
    text: str
    conversation: str
    channel: str


def unanswered_kind(turn: Turn, *, uncovered: Collection[str]) -> str | None:
    """What the assistant did instead of answering this turn, or None if it answered (`uncovered`: the declined topics)."""
    if ENGLISH_ONLY in turn.actions:
        return NOT_ENGLISH
    if turn.aspect in uncovered:
        return DECLINED
    if OUT_OF_SCOPE_REPLY in turn.actions or (turn.intent == "out_of_scope" and REPHRASE in turn.actions):
        return OUT_OF_SCOPE
    if turn.intent == "nlu_fallback":
        return FALLBACK
    return None


def figures(channel: str, conversations: Sequence[Conversation], *, unheard: Sequence[Unheard], groups: Sequence[Group],
            kb: KnowledgeBase, interview: Interview) -> Figures:
    """The figures of these conversations; `unheard` and `groups` cover every channel, and count here for this one."""
    turns = [turn for c in conversations for turn in c.turns]
    not_answered = {message.event_id for message in unheard}
    asked = [t for t in turns if t.event_id not in not_answered]
    mine = [i for i, message in enumerate(unheard) if channel in (ALL, message.channel)]
    return Figures(
        channel=channel,
        conversations=sum(1 for c in conversations if c.turns),
        messages=len(turns),
        returning=sum(1 for c in conversations if c.turns and c.returning),
        intents=_top(t.intent or "(none)" for t in turns),
        roles=_top(_role_name(kb, t.role) for t in asked if t.role and COMPARE not in t.actions),
        aspects=_top(_aspect_label(kb, t.aspect) for t in asked if t.aspect and t.aspect in kb.aspects),
        comparisons=_top(_aspect_label(kb, t.aspect or "overview") for t in asked if COMPARE in t.actions),
        unanswered=_unanswered(unheard, groups, set(mine)),
        unanswered_by_kind=tuple(Count(kind, sum(1 for i in mine if unheard[i].kind == kind)) for kind in UNANSWERED_KINDS),
        funnel=_funnel(conversations, interview),
        results=_results(conversations, kb),
        speed=_speed(conversations),
    )


def _top(labels: Iterable[str]) -> tuple[Count, ...]:
    return tuple(Count(label, count) for label, count in sorted(Counter(labels).items(), key=lambda kv: (-kv[1], kv[0])))


def _role_name(kb: KnowledgeBase, role_id: str) -> str:
    return next((r.name for r in kb.roles if r.id == role_id), role_id)


def _aspect_label(kb: KnowledgeBase, aspect_id: str) -> str:
    return kb.aspects[aspect_id].label if aspect_id in kb.aspects else aspect_id


def _unanswered(unheard: Sequence[Unheard], groups: Sequence[Group], mine: set[int]) -> tuple[Unanswered, ...]:
    lines = []
    for group in groups:
        members = [unheard[i] for i in group.members if i in mine]
        if not members:
            continue
        phrasings = [text for text, _ in Counter(m.text for m in members).most_common()]
        first = members[0]
        label = first.topic if first.kind == DECLINED and first.topic else unheard[group.representative].text
        lines.append(Unanswered(kind=first.kind, label=label, count=len(members),
                                conversations=len({m.conversation for m in members}), examples=tuple(phrasings[:EXAMPLES])))
    lines.sort(key=lambda line: (-line.count, line.kind, line.label))
    return tuple(lines)


def _funnel(conversations: Sequence[Conversation], interview: Interview) -> Funnel:
    runs = [run for c in conversations for run in c.interviews]
    outcomes = Counter(run.outcome for run in runs)
    questions = tuple(
        Question(label=topic.label, asked=sum(1 for r in runs if topic.id in r.asked),
                 answered=sum(1 for r in runs if topic.id in r.answers),
                 stopped=sum(1 for r in runs if r.outcome == STOPPED and r.at == topic.id),
                 unfinished=sum(1 for r in runs if r.outcome == UNFINISHED and r.at == topic.id))
        for topic in interview.topics
    )
    answers = [answer for run in runs for answer in run.answers.values()]
    sources = Counter(answer.by for answer in answers)
    reasked = sum(answer.reasked for answer in answers)
    return Funnel(started=len(runs), completed=outcomes[COMPLETED], stopped=outcomes[STOPPED],
                  started_over=outcomes[STARTED_OVER], unfinished=outcomes[UNFINISHED], questions=questions,
                  by_button=sources[BUTTON], typed=sources[TYPED], earlier=sources[EARLIER], reasked=reasked)


def _results(conversations: Sequence[Conversation], kb: KnowledgeBase) -> Results:
    results = [r for c in conversations for r in c.results]
    verdicts = Counter((r.get("verdict"), r.get("role") if r.get("verdict") == RECOMMENDED else None) for r in results)
    counts = [Count(role.name, verdicts[(RECOMMENDED, role.id)]) for role in kb.roles]
    counts += [Count(BALANCED, verdicts[(BALANCED, None)]), Count(TIE, verdicts[(TIE, None)])]
    distribution = []
    for role in kb.roles:
        buckets = [0] * SCORE_BUCKETS
        for result in results:
            score = (result.get("scores") or {}).get(role.id)
            if isinstance(score, int | float):
                buckets[min(SCORE_BUCKETS - 1, max(0, int(score) * SCORE_BUCKETS // 100))] += 1
        distribution.append((role.name, tuple(buckets)))
    return Results(total=len(results), verdicts=tuple(counts), distribution=tuple(distribution))


def _speed(conversations: Sequence[Conversation]) -> Speed:
    seconds = sorted(max(0.0, t.last_reply - t.timestamp) for c in conversations for t in c.turns if t.last_reply is not None)
    apologies = sum(c.apologies for c in conversations)
    turns = sum(len(c.turns) for c in conversations) + apologies
    return Speed(turns=len(seconds), p50_ms=_percentile_ms(seconds, 50), p95_ms=_percentile_ms(seconds, 95),
                 apologies=apologies, apology_share=apologies / turns if turns else 0.0)


def _percentile_ms(ordered: Sequence[float], q: int) -> int | None:
    """The nearest-rank percentile of sorted seconds, in milliseconds."""
    if not ordered:
        return None
    rank = max(1, -(-q * len(ordered) // 100))  # ceil(q/100 * n)
    return round(ordered[rank - 1] * 1000)
