"""Messages longer than `bot.notices.MAX_MESSAGE_CHARS` get a polite note instead of an answer.

Checked inside Rasa's message processor, so every channel (REST, the widget, Slack) applies the
same limit. An over-long message is not run through the model and not logged in the conversation:
the tracker stays exactly as it was, so an interview in progress goes on with the next message.
"""
from __future__ import annotations

import functools
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor

from bot.notices import MAX_MESSAGE_CHARS, message_too_long
from server.patches.target import Target

TARGETS = (Target(MessageProcessor, "handle_message", ("self", "message"), __name__),)

_PATCHED = "_career_message_limit"

logger = logging.getLogger(__name__)

HandleMessage = Callable[[MessageProcessor, UserMessage], Awaitable[Any]]


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Install the limit once; later calls change nothing."""
    if not getattr(MessageProcessor.handle_message, _PATCHED, False):
        MessageProcessor.handle_message = _limited(MessageProcessor.handle_message)  # type: ignore[method-assign]


def _limited(handle_message: HandleMessage) -> HandleMessage:
    @functools.wraps(handle_message)
    async def handle_message_within_limit(self: MessageProcessor, message: UserMessage) -> Any:
        length = len(message.text) if isinstance(message.text, str) else 0
        if length <= MAX_MESSAGE_CHARS:
            return await handle_message(self, message)
        logger.info("conversation %s: declined a message of %d characters (the limit is %d)",
                    message.sender_id, length, MAX_MESSAGE_CHARS)
        await message.output_channel.send_text_message(message.sender_id, message_too_long(length))
        if isinstance(message.output_channel, CollectingOutputChannel):
            return message.output_channel.messages
        return None

    setattr(handle_message_within_limit, _PATCHED, True)
    return handle_message_within_limit
