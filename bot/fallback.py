"""When the assistant is unsure what a message meant: its two best guesses, as readable buttons.

The first stage of the two-stage fallback offers the most likely meanings ("What does an AI
Engineer do?") and "Something else". Each guess keeps the roles and topics the message named,
so a click is answered exactly as the clearly-worded question would have been. The titles, and
which intents may be offered at all, are in bot/phrases.yml (`guesses:`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import phrases
from bot.answers import Button
from bot.knowledge import KnowledgeBase

#: The fallback's way out after its guesses: Rasa's two-stage fallback reads this intent as "none of these".
SOMETHING_ELSE_INTENT = "out_of_scope"
MAX_GUESSES = 2
#: A guess less likely than this is noise (gibberish spreads its probability thinly): not offered.
MIN_CONFIDENCE = 0.1
#: The classifier's own "not sure" label, and intents never worth offering back to the user.
NOT_OFFERED = frozenset({"nlu_fallback", "out_of_scope", "insult", "non_english", "inform"})

#: Intents whose button carries the role and topic the message named.
_TAKES_ENTITIES = frozenset({"ask_role_overview", "ask_aspect", "compare_roles", "ask_followup"})


def guesses(
    *,
    ranking: Sequence[tuple[str, float]],
    entities: Mapping[str, Sequence[str]],
    kb: KnowledgeBase,
) -> tuple[Button, ...]:
    """Buttons for the best-ranked intents worth offering (at most two; none if nothing is likely).

    `ranking` lists (intent, confidence), most likely first; `entities` maps an entity type to
    the ids the message mentioned. The caller adds `something_else()`.
    """
    roles = [r for r in entities.get("role", ()) if r in {role.id for role in kb.roles}]
    aspects = [a for a in entities.get("aspect", ()) if a in kb.aspects or a in kb.uncovered]
    role_text = kb.role(roles[0]).with_article if len(roles) == 1 else None
    aspect_text = _aspect_label(kb, aspects[0]) if aspects else None
    carried: dict[str, str] = {}
    if len(roles) == 1:
        carried["role"] = roles[0]
    if aspects:
        carried["aspect"] = aspects[0]

    buttons: list[Button] = []
    for intent, confidence in ranking:
        if intent in NOT_OFFERED or confidence < MIN_CONFIDENCE or any(b.intent == intent for b in buttons):
            continue
        title = phrases.load().guess(intent, role=role_text, aspect=aspect_text)
        if title is None:
            continue
        buttons.append(Button(title, intent, carried if intent in _TAKES_ENTITIES else {}))
        if len(buttons) == MAX_GUESSES:
            break
    return tuple(buttons)


def _aspect_label(kb: KnowledgeBase, aspect_id: str) -> str:
    if aspect_id in kb.aspects:
        return kb.aspect(aspect_id).label
    return kb.uncovered[aspect_id].label


def something_else() -> Button:
    """The button after the guesses, for "none of these"."""
    return Button(phrases.load().button("something_else"), SOMETHING_ELSE_INTENT)
