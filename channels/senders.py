"""Conversation ids, named by the channel a message came in on, so that no channel can name another's.

Each channel makes its conversation ids at its boundary, from what it knows of the sender:

    rest:<sender>              the REST channel: the "sender" the caller gave
    widget:<key>               the website widget: the key of a session id the server issued (channels/sessions.py)
    slack:<channel>:<user>     Slack: the channel, and the thread or the user (channels/slack_events.py)

A REST caller naming "widget:…" or "slack:…" gets "rest:widget:…", a conversation of its own.
Conversations stored before ids were namespaced are renamed once, when the tracker store starts
(stores/sender_migration.py).
"""
from __future__ import annotations

REST = "rest"
WIDGET = "widget"
SLACK = "slack"

# Rasa's name of each input channel, and the prefix its conversations get.
PREFIX_BY_INPUT_CHANNEL = {"rest": REST, "socketio": WIDGET, "slack": SLACK}


def conversation_id(prefix: str, local_id: str) -> str:
    """The stored id of the conversation a channel knows as `local_id`."""
    return f"{prefix}:{local_id}"


def local_id(prefix: str, conversation: str) -> str:
    """What the channel calls a conversation stored as `conversation` (the inverse of `conversation_id`)."""
    head = f"{prefix}:"
    return conversation[len(head):] if conversation.startswith(head) else conversation
