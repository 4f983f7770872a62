"""What the assistant says when it cannot take a message the usual way.

The dialogue's own phrasing lives in domain.yml. These few notes are sent by the Rasa server
itself (bot/channels/), before or instead of the dialogue, so they must not depend on the
trained model's domain: a model trained before a wording change still says the same thing.
"""
from __future__ import annotations

MAX_MESSAGE_CHARS = 2000

ACTION_SERVER_DOWN = (
    "Sorry, I can't answer right now: part of me isn't responding. "
    "Please send your message again in a moment; nothing you told me so far is lost."
)


def message_too_long(length: int) -> str:
    """The polite note for a message over MAX_MESSAGE_CHARS characters."""
    return (
        f"Sorry, that message is too long for me ({length:,} characters). Please keep it under "
        f"{MAX_MESSAGE_CHARS:,} characters, for example by asking one question at a time."
    )
