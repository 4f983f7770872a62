"""Work out what a role question is asking, from the intent, the entities and the context so far.

"What skills do they need?" right after a question about one role is about that role;
"what about the other one?" after that keeps the aspect (skills) and switches the role.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

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
    exact: bool = False,
) -> Query:
    """Decide what to answer. `roles`, `aspects` and `related` are the ids mentioned in the message,
    most preferred first. The latest words win: a role or aspect the message names (or means)
    beats the context, which only fills in what the message leaves out. `exact` is for button
    payloads: "Compare the roles" with no topic is the full comparison, never the last topic's.

    A neighbouring job ("data scientist") stands for its nearest role when no role is named.
    """
    known_roles = {r.id for r in kb.roles}
    mentioned_roles = _unique(r for r in roles if r in known_roles)
    jobs = _unique(j for j in related if j in kb.related)
    if not jobs:
        return _interpret(intent, mentioned_roles, aspects, context, kb, exact)
    if not mentioned_roles:
        mentioned_roles = [kb.related[jobs[0]].nearest]
    return replace(_interpret(intent, mentioned_roles, aspects, context, kb, exact), related=jobs[0])


def _interpret(intent: str, mentioned_roles: list[str], aspects: Sequence[str], context: Context,
               kb: KnowledgeBase, exact: bool) -> Query:
    known_roles = {r.id for r in kb.roles}
    known = _unique(a for a in aspects if a in kb.aspects or a in kb.uncovered)
    covered = [a for a in known if a in kb.aspects]
    specific = [a for a in covered if a != OVERVIEW]
    mentioned_aspect = specific[0] if specific else (covered[0] if covered else None)
    context_role = context.role if context.role in known_roles else None
    context_aspect = context.aspect if context.aspect in kb.aspects else None
    # A topic the source does not cover stays the topic until the message names another.
    # (A comparison that names no topic is the overall one: "no, I meant the overall differences".)
    inherit = not exact and intent != Intent.COMPARE
    topic = known[0] if known else (context.aspect if context.aspect in kb.uncovered and inherit else None)

    if topic in kb.uncovered:  # the topic the message is mainly about is not covered
        if intent == Intent.COMPARE or len(mentioned_roles) > 1:
            role = None
        elif intent == Intent.FOLLOWUP and not mentioned_roles and context_role is not None:
            role = next((r.id for r in kb.roles if r.id != context_role), None)
        else:
            role = mentioned_roles[0] if mentioned_roles else context_role
        return Query(Kind.UNCOVERED, role=role, aspect=topic, topic=topic)

    if intent == Intent.COMPARE:
        aspect = mentioned_aspect
        if aspect is None and not exact and len(mentioned_roles) < 2 and context_aspect not in (None, OVERVIEW):
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
        if role is None and context.aspect is not None and mentioned_aspect is not None:
            return _compare(aspect)  # after a comparison: the same comparison on the new topic
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


#: The extractor that reads an aspect from the meaning of the whole message (components/meaning.py).
MEANING_EXTRACTOR = "MeaningAspectExtractor"
#: A bare "no" is not a question; "no, I meant for engineers" corrects the last answer.
DENY = "deny"


def mentioned(message: Mapping[str, Any], entity: str) -> list[str]:
    """Values of one entity type in a parsed message (Rasa's parse data), most preferred first.

    Mentions the message takes back ("not just education") are left out, and so are topic words
    the person says about themselves before asking ("my son is studying computer science. What's
    the difference between the jobs?": the question names no topic). An aspect read from the
    meaning of the message comes first: it is only there when the words alone were not enough
    (none found, or several). The rest follow in the order they were written.
    """
    text = str(message.get("text") or "")
    entities: Sequence[Mapping[str, Any]] = message.get("entities") or []
    asked = _question_spans(text) if entity == "aspect" else []
    if asked:
        words = [e for e in entities if e.get("entity") == entity and e.get("extractor") != MEANING_EXTRACTOR]
        kept = [e for e in words if any(start <= int(e.get("start") or 0) < end for start, end in asked)]
        # a topic read from meaning goes too when every topic word it weighed was said outside the questions
        entities = [e for e in entities if e in kept or (e.get("entity") == entity and e.get("extractor") == MEANING_EXTRACTOR
                                                         and (not words or kept))]
    ordered = sorted(
        (e for e in entities if e.get("entity") == entity and e.get("value")),
        key=lambda e: (e.get("extractor") != MEANING_EXTRACTOR, int(e.get("start") or 0)),
    )
    back = taken_back(message, entity)
    return [str(e["value"]) for e in ordered
            if (str(e["value"]) not in back if e.get("extractor") == MEANING_EXTRACTOR
                else not negated(text, int(e.get("start") or 0)))]


def _question_spans(text: str) -> list[tuple[int, int]]:
    """Where the questions of a message are, when it also has statements: [] for a message that is
    all question (or all statement), so that only a mixed message is narrowed to its questions."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^.?!]*[.?!]+|[^.?!]+$", text)]
    questions = [(start, end) for start, end in spans if text[start:end].rstrip().endswith("?")]
    statements = [(start, end) for start, end in spans if (start, end) not in questions and text[start:end].strip()]
    return questions if questions and statements else []


def taken_back(message: Mapping[str, Any], entity: str) -> set[str]:
    """Values of one entity type that the message mentions only to take back ("not just education")."""
    text = str(message.get("text") or "")
    said = [e for e in message.get("entities") or [] if e.get("entity") == entity and e.get("extractor") != MEANING_EXTRACTOR]
    negative = {str(e.get("value")) for e in said if negated(text, int(e.get("start") or 0))}
    return negative - {str(e.get("value")) for e in said if not negated(text, int(e.get("start") or 0))}


def understand(message: Mapping[str, Any], context: Context, kb: KnowledgeBase) -> Query | None:
    """What a parsed message asks about the roles, given the context; None if it asks nothing.

    A "no" that names a role or topic is a correction: it replaces that part of the last
    answer and keeps the rest, like a question about that topic would.
    """
    intent = str((message.get("intent") or {}).get("name") or "")
    text = str(message.get("text") or "")
    roles, aspects = mentioned(message, "role"), mentioned(message, "aspect")
    if intent == DENY:
        if not roles and not aspects:
            return None
        intent = Intent.ASPECT.value
    elif intent not in {i.value for i in Intent}:
        return None
    exact = text.startswith("/")
    if context.aspect is not None and context.aspect in taken_back(message, "aspect"):
        context = replace(context, aspect=None)  # "..., not just education": not the topic in context either
    if not exact:
        intent = _by_the_words(intent, text, roles, aspects, context)
    return interpret(intent=intent, roles=roles, aspects=aspects, context=context, kb=kb,
                     related=mentioned(message, "related_role"), exact=exact)


#: Words that ask for both roles side by side.
_COMPARE_WORDS = re.compile(
    r"\b(?:compare[ds]?|comparing|comparison|both|differ(?:s|ent|ence|ences)?|versus|vs\.?|which of the two|"
    r"between the two|each of (?:them|the two)|each one|each role|either (?:one|role|job)|side by side|contrast|"
    r"against each other)\b"
)
#: "different question, ...": a change of subject, not a comparison.
_NOT_A_COMPARISON = re.compile(r"\bdifferent (?:question|topic|subject|thing)\b")
#: "which one is more practical?", "who earns more, ...?": comparing without the word.
_WHICH_IS_MORE = re.compile(r"\bwhich (?:one|role|job|path|is|of)\b|\b(?:better|worse|more|less|easier|harder)\b|\bor\b")
#: Words that turn the last question to the other role ("and the other one?", "the engineer equivalent?"),
#: when no role is named; "what about their education?" keeps the role.
_SWITCH_WORDS = re.compile(
    r"\b(?:other|same for|same (?:question|thing)|equivalent|counterpart|instead|for (?:them|those))\b"
)


def _by_the_words(intent: str, text: str, roles: Sequence[str], aspects: Sequence[str], context: Context) -> str:
    """Settle the kind of question by its words where the classifier and the words disagree.

    Only "compare", "both", "difference" and the like compare; a follow-up that names a topic
    but neither a role nor the other role keeps the role in context ("and what do they need to
    know?" is not about the other role).
    """
    lowered = _NOT_A_COMPARISON.sub(" ", text.lower())
    if intent in (Intent.ASPECT, Intent.FOLLOWUP, Intent.OVERVIEW) and _COMPARE_WORDS.search(lowered):
        return Intent.COMPARE.value
    if intent == Intent.FOLLOWUP and not roles and aspects and not _SWITCH_WORDS.search(lowered):
        return Intent.ASPECT.value
    if (intent == Intent.COMPARE and len(set(roles)) < 2 and context.role and not _COMPARE_WORDS.search(lowered)
            and not _WHICH_IS_MORE.search(lowered)):
        return Intent.ASPECT.value  # "and which degree do they have?" about the role in context
    return intent


#: Words that take back what follows them: "the overall differences, not just education".
_NEGATION = re.compile(
    r"\b(?:not(?: just| only)?|rather than|instead of|except(?: for)?|other than|apart from|besides|aside from|beyond)"
    r"\s+(?:the\s+|their\s+|a\s+|about\s+)?$"
)


def negated(text: str, start: int) -> bool:
    """Is the mention starting at `start` in `text` negated ("not just education")?"""
    return bool(_NEGATION.search(text[:start].lower()))


def _compare(aspect: str) -> Query:
    if aspect == OVERVIEW:
        return Query(Kind.COMPARE_ALL, aspect=OVERVIEW)
    return Query(Kind.COMPARE_ASPECT, aspect=aspect)


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
