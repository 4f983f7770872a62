"""Validate what a socket.io client sends to the webchat channel, before Rasa sees it."""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from channels import json_body
from channels.requests import MAX_BODY_BYTES, BadRequest

# Session ids are the ones we issue (uuid4 hex). A client can't pick another conversation's name,
# such as a REST sender's, as its session id.
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class SocketMessage:
    text: str
    session_id: str | None
    metadata: dict[str, Any] = field(default_factory=dict)


def new_session_id() -> str:
    return uuid.uuid4().hex


def session_id_for(request: object) -> str:
    """The session id a `session_request` asks to resume, if it is one we could have issued; else a new one."""
    wanted = request.get("session_id") if isinstance(request, dict) else None
    if isinstance(wanted, str) and _SESSION_ID.match(wanted):
        return wanted
    return new_session_id()


def parse_user_message(data: object, *, metadata_key: str) -> SocketMessage:
    """Parse {"message": "text", "session_id": "...", metadata_key: {...}} strictly, or raise BadRequest."""
    if not isinstance(data, dict):
        raise BadRequest('expected an object like {"message": "text", "session_id": "..."}')
    text = data.get("message")
    if not isinstance(text, str):
        raise BadRequest("'message' must be a string")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
        raise BadRequest(f"'message' is longer than {MAX_BODY_BYTES // 1024} KiB")
    session_id = data.get("session_id")
    if session_id is not None and not isinstance(session_id, str):
        raise BadRequest("'session_id' must be a string")
    metadata = data.get(metadata_key) or {}
    if isinstance(metadata, str):  # Rasa's socket.io channel accepts metadata as a JSON string too
        try:
            metadata = json_body.loads(metadata)
        except json.JSONDecodeError:
            raise BadRequest(f"'{metadata_key}' is not valid JSON") from None
    if not isinstance(metadata, dict):
        raise BadRequest(f"'{metadata_key}' must be an object")
    return SocketMessage(text=text, session_id=session_id, metadata=metadata)
