"""The whole report for a period, from the conversation database: `build(engine, period)`.

Conversation ids are hashed as they are read (privacy.py) and go no further than this module;
message texts are read only for the messages it could not answer, and masked before anything else
sees them.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot import interview as interview_data
from bot import knowledge
from bot.interview import Interview
from bot.knowledge import KnowledgeBase
from channels.senders import REST, SLACK, WIDGET
from insights import events, grouping
from insights.conversations import ACTIONS, CONTEXT_SLOTS, walk
from insights.events import Period
from insights.figures import ACTIONS as TURN_ACTIONS
from insights.figures import ALL, DECLINED, Figures, Unheard, figures, unanswered_kind
from insights.grouping import Group
from insights.privacy import Hasher, mask

#: The channels by the prefix of their conversation ids (channels/senders.py), in the order shown.
CHANNELS = (REST, WIDGET, SLACK)
#: Conversations whose id has none of those prefixes (made through the HTTP API, say).
OTHER = "other"
#: The longest stretch of a message shown.
MAX_SHOWN = 200


@dataclass(frozen=True)
class Insights:
    period: Period
    channels: tuple[Figures, ...]  # every channel together first, then each
    seconds: float  # how long building it took

    def channel(self, name: str) -> Figures:
        return next(f for f in self.channels if f.channel == name)


def channel_of(sender: str) -> str:
    prefix, colon, _ = sender.partition(":")
    return prefix if colon and prefix in CHANNELS else OTHER


def build(engine: Engine, period: Period, *, kb: KnowledgeBase | None = None, interview: Interview | None = None,
          hasher: Callable[[str], str] | None = None, similarity: float | None = None) -> Insights:
    """Read the period's conversations from `engine` and compute every figure, for all channels and each."""
    started = time.perf_counter()
    kb = kb if kb is not None else knowledge.load()
    data = interview if interview is not None else interview_data.load()
    rows = events.read(engine, period, actions=ACTIONS | TURN_ACTIONS, slots=(*data.slots, *CONTEXT_SLOTS))
    walked = walk(rows, topics=data.slots, key=hasher or Hasher(), channel=channel_of)
    earlier = events.seen_before(engine, period, [sender for sender, c in walked if c.turns])
    conversations = [c for _, c in walked]
    for sender, conversation in walked:
        conversation.earlier = sender in earlier
    apologies = events.apologies(engine, [event_id for c in conversations for event_id in c.unprompted])
    for conversation in conversations:
        conversation.apologies = sum(1 for event_id in conversation.unprompted if event_id in apologies)

    # A button's payload ("Something else" after the fallback's guesses) is not a message it failed to answer.
    kinds = {turn.event_id: kind for c in conversations for turn in c.turns
             if not turn.payload and (kind := unanswered_kind(turn, uncovered=kb.uncovered)) is not None}
    texts = events.user_texts(engine, kinds)
    unheard = [
        Unheard(event_id=turn.event_id, kind=kinds[turn.event_id],
                topic=kb.uncovered[turn.aspect].label if kinds[turn.event_id] == DECLINED and turn.aspect else None,
                text=_shown(texts.get(turn.event_id, "")), conversation=c.key, channel=c.channel)
        for c in conversations for turn in c.turns if turn.event_id in kinds and texts.get(turn.event_id, "").strip()
    ]
    groups = _groups(unheard, similarity)
    shown = [ALL, *CHANNELS, *([OTHER] if any(c.channel == OTHER for c in conversations) else [])]
    return Insights(
        period=period,
        channels=tuple(
            figures(name, [c for c in conversations if name in (ALL, c.channel)], unheard=unheard, groups=groups,
                    kb=kb, interview=data)
            for name in shown
        ),
        seconds=time.perf_counter() - started,
    )


def _shown(text: str) -> str:
    text = mask(" ".join(text.split()))
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _groups(unheard: Sequence[Unheard], similarity: float | None) -> list[Group]:
    """Declined messages by their topic; the rest by similarity, within their kind."""
    parts: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for index, message in enumerate(unheard):
        parts[(message.kind, message.topic)].append(index)
    groups: list[Group] = []
    for (kind, _), members in parts.items():
        if kind == DECLINED:
            groups.append(Group(members=tuple(members), representative=members[0]))
            continue
        found = grouping.group([unheard[i].text for i in members], threshold=similarity)
        groups.extend(Group(members=tuple(members[i] for i in g.members), representative=members[g.representative])
                      for g in found)
    return groups
