"""Validate what a client POSTs to the REST channel, before Rasa sees it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from channels import json_body
from channels.json_body import BadRequest as BadRequest  # the channels' one error for a bad request, raised there too

MAX_SENDER_LENGTH = 128
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class RestMessage:
    sender: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def parse_rest_body(body: bytes) -> RestMessage:
    """Parse {"sender": ..., "message": ..., "metadata": {...}} strictly, or raise BadRequest."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"the request body is larger than {MAX_BODY_BYTES // 1024} KiB")
    try:
        data = json_body.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest('expected a JSON object like {"sender": "id", "message": "text"}')
    message = data.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string")
    if "sender" not in data:
        raise BadRequest("'sender' is required: the id of the conversation, one per person")
    sender = data["sender"]
    if isinstance(sender, int | float) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest("'sender' must be a non-empty string")
    if len(sender) > MAX_SENDER_LENGTH or not sender.isprintable():
        raise BadRequest(f"'sender' must be printable and at most {MAX_SENDER_LENGTH} characters")
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be a JSON object")
    return RestMessage(sender=sender, text=message, metadata=metadata)
