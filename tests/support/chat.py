"""What the end-to-end tests of every channel share: the interview's questions, answers, and reading replies.

Replies are in the REST channel's shape ({"text": ..., "buttons": [{"title", "payload"}]}).
"""
from __future__ import annotations

import uuid
from typing import Any

QUESTIONS = {
    "goal": "career goal",
    "interest": "enjoy most",
    "strength": "strongest skills",
    "education": "level of education",
    "environment": "prefer to work",
    "aspiration": "long term",
}


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def asked(messages: list[dict[str, Any]]) -> str | None:
    """Which topic the last message asks about, if it is an interview question."""
    last = str(messages[-1].get("text", "")) if messages else ""
    if not last.endswith("?"):
        return None
    return next((topic for topic, q in QUESTIONS.items() if q in last), None)


def button_payload(messages: list[dict[str, Any]], title: str) -> str:
    for message in messages:
        for button in message.get("buttons", []):
            if button["title"] == title:
                return str(button["payload"])
    raise AssertionError(f"no button {title!r} in {messages}")


def sender() -> str:
    return f"iv-{uuid.uuid4().hex[:10]}"


RESEARCH_ANSWERS = {
    "goal": "I want to advance AI theory and publish papers",
    "interest": "inventing new approaches to machine learning",
    "strength": "mathematics and analysis",
    "education": "I'm doing a PhD in computer science",
    "environment": "an academic research lab",
    "aspiration": "eventually lead a research team",
}

# The buttons an engineer-minded user clicks (also used by the Slack tests).
ENGINEER_CLICKS = {"goal": "Build practical solutions", "interest": "Building systems for users",
                   "strength": "Programming and systems", "education": "Bachelor's",
                   "environment": "Tech company or startup", "aspiration": "AI architect / tech lead"}
