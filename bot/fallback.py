"""When the assistant is unsure what a message meant: its two best guesses, as readable buttons.

The first stage of the two-stage fallback offers the most likely meanings ("What does an AI
Engineer do?") and "Something else". Each guess keeps the roles and topics the message named,
so a click is answered exactly as the clearly-worded question would have been.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.answers import Button
from bot.knowledge import KnowledgeBase

SOMETHING_ELSE = Button("Something else", "out_of_scope")
MAX_GUESSES = 2
#: A guess less likely than this is noise (gibberish spreads its probability thinly): not offered.
MIN_CONFIDENCE = 0.1
#: The classifier's own "not sure" label, and intents never worth offering back to the user.
NOT_OFFERED = frozenset({"nlu_fallback", "out_of_scope", "insult", "non_english", "inform"})

#: Intents whose button carries the role and topic the message named.
_TAKES_ENTITIES = frozenset({"ask_role_overview", "ask_aspect", "compare_roles", "ask_followup"})

Label = Callable[[str | None, str | None], str]


def _overview(role: str | None, aspect: str | None) -> str:
    return f"What does {role} do?" if role else "What each role does"


def _aspect(role: str | None, aspect: str | None) -> str:
    if role and aspect:
        return f"{aspect.capitalize()} of {role}"
    if aspect:
        return f"{aspect.capitalize()} of each role"
    return f"A question about {role}" if role else "A question about one role"


def _compare(role: str | None, aspect: str | None) -> str:
    return f"Compare the roles: {aspect}" if aspect else "Compare the two roles"


def _followup(role: str | None, aspect: str | None) -> str:
    return f"Same question about {role}" if role else "Same question, other role"


def _fixed(title: str) -> Label:
    return lambda role, aspect: title


#: intent -> title of its button, given the role (with article) and topic the message named.
LABELS: Mapping[str, Label] = {
    "ask_role_overview": _overview,
    "ask_aspect": _aspect,
    "compare_roles": _compare,
    "ask_followup": _followup,
    "ask_more": _fixed("Tell me more"),
    "ask_capabilities": _fixed("What can you do?"),
    "start_interview": _fixed("Which role suits me?"),
    "ask_result": _fixed("Show my result"),
    "change_answer": _fixed("Change an interview answer"),
    "restart_interview": _fixed("Start the interview over"),
    "stop_interview": _fixed("Stop the interview"),
    "go_back": _fixed("Go back a question"),
    "greet": _fixed("Just saying hello"),
    "goodbye": _fixed("Saying goodbye"),
    "thank": _fixed("Saying thanks"),
    "affirm": _fixed("Yes"),
    "deny": _fixed("No"),
    "bot_challenge": _fixed("Are you a bot?"),
    "how_are_you": _fixed("How are you?"),
    "who_made_you": _fixed("Who made you?"),
}


def guesses(
    *,
    ranking: Sequence[tuple[str, float]],
    entities: Mapping[str, Sequence[str]],
    kb: KnowledgeBase,
) -> tuple[Button, ...]:
    """Buttons for the best-ranked intents worth offering (at most two; none if nothing is likely).

    `ranking` lists (intent, confidence), most likely first; `entities` maps an entity type to
    the ids the message mentioned. The caller adds SOMETHING_ELSE.
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
        label = LABELS.get(intent)
        if label is None or intent in NOT_OFFERED or confidence < MIN_CONFIDENCE or any(b.intent == intent for b in buttons):
            continue
        buttons.append(Button(label(role_text, aspect_text), intent, carried if intent in _TAKES_ENTITIES else {}))
        if len(buttons) == MAX_GUESSES:
            break
    return tuple(buttons)


def _aspect_label(kb: KnowledgeBase, aspect_id: str) -> str:
    if aspect_id in kb.aspects:
        return kb.aspect(aspect_id).label
    return kb.uncovered[aspect_id].label
