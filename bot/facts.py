"""Fact-level answers: a question about one point of the knowledge base gets that point.

components/facts.py finds, by meaning, which facts a message asks about and puts them in the parse
data (`facts`); this module decides whether they answer the question as understood (bot.questions)
and lays them out. Every sentence is the knowledge base's; the lead-ins are responses in domain.yml.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot import answers, interview
from bot.knowledge import Fact, KnowledgeBase
from bot.questions import Kind, Query, mentioned

#: The questions a fact may answer: about the roles' content, not uncovered topics.
FACT_KINDS = frozenset({Kind.ROLE_ASPECT, Kind.OVERVIEW, Kind.COMPARE_ASPECT, Kind.COMPARE_ALL, Kind.ASK_ROLE})


def answer(kb: KnowledgeBase, query: Query, parse: Mapping[str, Any]) -> answers.Answer | None:
    """"Which of the two builds chatbots?": the few facts the question asks about (found by
    components/facts.py, in the parse data), rather than the whole section its topic names.

    A role the question is about (named, or from the context for a role question) keeps the facts
    to that role; if it has none of them, the answer says whose side they are. "Which ...?" with
    no role leads with the role of the best fact. Facts on a topic the message names come first
    (topic words are loose: "become", "work on"; they order the facts, they do not veto them).
    None when no fact fits (or the message is a "no, I meant ..."): the section answers.
    """
    intent = str((parse.get("intent") or {}).get("name") or "")
    if query.kind not in FACT_KINDS or query.related is not None or intent == "deny":
        return None
    found = asked(kb, parse)
    named = set(mentioned(parse, "aspect")) - {"overview"}
    if named:  # facts on a topic the message names come first ("programming" facts are skills too)
        found = sorted(found, key=lambda f: not named & {kb.aspect_of(f).id, f.field})
    if not found:
        return None
    role = query.role if query.kind in (Kind.ROLE_ASPECT, Kind.OVERVIEW) else None
    if role is not None:
        own = [f for f in found if f.role.id == role]
        if own and unsettled(str(parse.get("text") or "")):
            values = {"roles": kb.role(role).plural}
            return answers.facts(kb, own, kb.aspect_of(own[0]), response="utter_facts_unsettled", values=values)
        if own:
            return answers.facts(kb, own, kb.aspect_of(own[0]))
        values = {"roles": found[0].role.plural, "asked": kb.role(role).plural}
        return answers.facts(kb, found, kb.aspect_of(found[0]), response="utter_facts_other_side", values=values)
    text = str(parse.get("text") or "")
    if interview.asks_which(text):
        return answers.facts(kb, found, kb.aspect_of(found[0]), response="utter_facts_which", values={"roles": found[0].role.plural})
    return answers.facts(kb, found, kb.aspect_of(found[0]))


def unsettled(text: str) -> bool:
    """A yes/no question about the person's own case ("I have three papers in physics journals,
    does that count?"): the facts bear on it, but the article does not decide it for them."""
    return interview.asks_yes_or_no(text) and bool(_PERSONAL.search(text))


_PERSONAL = re.compile(r"\b(?:i|i'm|im|i've|ive|my|me)\b", re.IGNORECASE)


def asked(kb: KnowledgeBase, parse: Mapping[str, Any]) -> list[Fact]:
    """The facts the NLU found the message asks about, best first (unknown ones skipped)."""
    found = []
    for item in parse.get("facts") or []:
        try:
            found.append(kb.fact(str(item.get("fact"))))
        except (KeyError, AttributeError):
            continue
    return found
