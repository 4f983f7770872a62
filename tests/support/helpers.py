"""Small builders shared by the tests."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

ROOT_SLOTS = {"role": None, "aspect": None, "detail_shown": False}


def make_tracker(
    *,
    intent: str,
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    sender: str = "test-user",
    ranking: list[str] | None = None,
    facts: list[str] | None = None,
) -> Tracker:
    """A tracker whose latest message has this intent, these entities and (optionally) this ranking
    and these facts (as components/facts.py finds them, best first)."""
    ents = []
    for index, entity in enumerate(entities or []):
        ents.append({"start": index * 10, "end": index * 10 + 5, **entity})
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {**ROOT_SLOTS, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": ents,
                "intent_ranking": [{"name": name, "confidence": round(0.5 / (i + 1), 3)} for i, name in enumerate(ranking or [])],
                **({"facts": [{"fact": f, "score": 0.8} for f in facts]} if facts else {}),
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def role(value: str) -> dict[str, str]:
    return {"entity": "role", "value": value}


def aspect(value: str) -> dict[str, str]:
    return {"entity": "aspect", "value": value}
