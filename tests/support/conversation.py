"""The scripted conversation each channel must hold: a role question, a follow-up, the whole interview by buttons.

Messages here are in the REST channel's shape ({"text": ..., "buttons": [{"title", "payload"}]}), so the
interview helpers in tests/support/chat.py read them whatever channel they came from.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.chat import ENGINEER_CLICKS, asked, text_of

GREETING_PAYLOAD = "/greet"  # what the widget sends for a new visitor (initPayload)
ROLE_QUESTION, ROLE_ANSWER = "what skills does an AI engineer need?", "AI Engineer: Skills"
FOLLOW_UP, FOLLOW_UP_ANSWER = "and what about their education?", "AI Engineer: Education"
START_BUTTON = "Which role suits me?"  # on the greeting's menu
RESULT = "My recommendation: AI Engineer"
#: How "why?" after that result begins: its reasons only.
WHY = "AI Engineer, because of what you told me"
CLICKS = ENGINEER_CLICKS

Messages = list[dict[str, Any]]


def says(fragment: str) -> Callable[[Messages], bool]:
    """A wait condition: the turn's messages contain `fragment` and have ended with buttons."""
    return lambda messages: fragment in text_of(messages) and ends_with_buttons(messages)


def offers(title: str) -> Callable[[Messages], bool]:
    """A wait condition: the turn has ended with buttons, one of them titled `title`."""
    return lambda messages: ends_with_buttons(messages) and title in button_titles(messages)


def ends_with_buttons(messages: Messages) -> bool:
    return bool(messages and messages[-1].get("buttons"))


def next_step(messages: Messages) -> bool:
    """A wait condition for an interview turn: the next question with its buttons, or the result."""
    return ends_with_buttons(messages) and (asked(messages) is not None or RESULT in text_of(messages))


def button_titles(messages: Messages) -> list[str]:
    return [str(b["title"]) for m in messages for b in m.get("buttons", [])]


def next_click(messages: Messages) -> str:
    """The button to click for the interview question these messages end with (at most five offered)."""
    topic = asked(messages)
    assert topic is not None, f"expected an interview question, got: {text_of(messages)}"
    titles = button_titles(messages)
    assert CLICKS[topic] in titles and len(titles) <= 5, titles
    return CLICKS[topic]
