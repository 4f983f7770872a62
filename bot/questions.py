"""Work out what a role question is asking, from the intent, the entities and the context so far.

"What skills do they need?" right after a question about one role is about that role;
"what about the other one?" after that keeps the aspect (skills) and switches the role.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from bot.knowledge import KnowledgeBase

OVERVIEW = "overview"


class Kind(str, Enum):
    ROLE_ASPECT = "role_aspect"  # one aspect of one role
    OVERVIEW = "overview"  # what one role is about
    COMPARE_ASPECT = "compare_aspect"  # every role side by side on one aspect
    COMPARE_ALL = "compare_all"  # the full comparison
    ASK_ROLE = "ask_role"  # we cannot tell which role: ask, with buttons
    UNCOVERED = "uncovered"  # a topic the source does not cover (pay, hours)


class Intent(str, Enum):
    OVERVIEW = "ask_role_overview"
    ASPECT = "ask_aspect"
    FOLLOWUP = "ask_followup"
    COMPARE = "compare_roles"


@dataclass(frozen=True)
class Context:
    """What the conversation was last about (slot values)."""

    role: str | None = None
    aspect: str | None = None


@dataclass(frozen=True)
class Query:
    kind: Kind
    role: str | None = None
    aspect: str | None = None
    topic: str | None = None
    #: A neighbouring job the user asked about, answered with its nearest role (and said so).
    related: str | None = None

    @property
    def context(self) -> Context:
        """The context this answer leaves behind for the next question."""
        return Context(role=self.role, aspect=self.aspect)


def interpret(
    *,
    intent: str,
    roles: Sequence[str],
    aspects: Sequence[str],
    context: Context,
    kb: KnowledgeBase,
    related: Sequence[str] = (),
) -> Query:
    """Decide what to answer. `roles`, `aspects` and `related` are the ids mentioned in the message.

    A neighbouring job ("data scientist") stands for its nearest role when no role is named.
    """
    known_roles = {r.id for r in kb.roles}
    mentioned_roles = _unique(r for r in roles if r in known_roles)
    jobs = _unique(j for j in related if j in kb.related)
    if not jobs:
        return _interpret(intent, mentioned_roles, aspects, context, kb)
    if not mentioned_roles:
        mentioned_roles = [kb.related[jobs[0]].nearest]
    return replace(_interpret(intent, mentioned_roles, aspects, context, kb), related=jobs[0])


def _interpret(intent: str, mentioned_roles: list[str], aspects: Sequence[str], context: Context,
               kb: KnowledgeBase) -> Query:
    known_roles = {r.id for r in kb.roles}
    covered = _unique(a for a in aspects if a in kb.aspects)
    uncovered = _unique(a for a in aspects if a in kb.uncovered)
    specific = [a for a in covered if a != OVERVIEW]
    mentioned_aspect = specific[0] if specific else (covered[0] if covered else None)
    context_role = context.role if context.role in known_roles else None
    context_aspect = context.aspect if context.aspect in kb.aspects else None

    if uncovered and not specific:
        role = mentioned_roles[0] if len(mentioned_roles) == 1 else context_role
        return Query(Kind.UNCOVERED, role=role, aspect=context_aspect, topic=uncovered[0])

    if intent == Intent.COMPARE:
        aspect = mentioned_aspect
        if aspect is None and not mentioned_roles and context_aspect not in (None, OVERVIEW):
            aspect = context_aspect  # "how do they compare?" right after an aspect answer
        if aspect is None or aspect == OVERVIEW:
            return Query(Kind.COMPARE_ALL, aspect=OVERVIEW)
        return Query(Kind.COMPARE_ASPECT, aspect=aspect)

    if len(mentioned_roles) > 1:
        if mentioned_aspect in (None, OVERVIEW):
            return Query(Kind.COMPARE_ALL, aspect=OVERVIEW)
        return Query(Kind.COMPARE_ASPECT, aspect=mentioned_aspect)

    role = mentioned_roles[0] if mentioned_roles else None

    if intent == Intent.FOLLOWUP:
        aspect = mentioned_aspect or context_aspect or OVERVIEW
        if role is None and context_role is not None:
            others = [r.id for r in kb.roles if r.id != context_role]
            role = others[0] if len(others) == 1 else None
        if role is None:
            return Query(Kind.ASK_ROLE, aspect=aspect)
        return _single(role, aspect)

    if intent == Intent.OVERVIEW and mentioned_aspect in (None, OVERVIEW):
        role = role or context_role
        if role is None:
            return Query(Kind.COMPARE_ALL, aspect=OVERVIEW)
        return Query(Kind.OVERVIEW, role=role, aspect=OVERVIEW)

    # An aspect question (or an overview question that named an aspect after all).
    aspect = mentioned_aspect or context_aspect or OVERVIEW
    role = role or context_role
    if role is None:
        if aspect == OVERVIEW:
            return Query(Kind.COMPARE_ALL, aspect=OVERVIEW)
        return Query(Kind.COMPARE_ASPECT, aspect=aspect)
    return _single(role, aspect)


def _single(role: str, aspect: str) -> Query:
    if aspect == OVERVIEW:
        return Query(Kind.OVERVIEW, role=role, aspect=OVERVIEW)
    return Query(Kind.ROLE_ASPECT, role=role, aspect=aspect)


def _unique(values: object) -> list[str]:
    seen: list[str] = []
    for value in values:  # type: ignore[attr-defined]
        if value not in seen:
            seen.append(value)
    return seen
