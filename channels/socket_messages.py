"""Validate what a socket.io client sends to the webchat channel, before python-socketio and Rasa see it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from socketio import packet

from channels import json_body
from channels.requests import MAX_BODY_BYTES, BadRequest

# What a client sends over long-polling: close, pong, message, upgrade. python-engineio answers the
# others (open, ping, noop) by closing the session, and that request then hangs until it times out.
ENGINE_IO_PACKET_TYPES = "1345"
SOCKET_IO_PACKET_TYPES = tuple("0123456")
MAX_PACKETS_PER_REQUEST = 16  # python-engineio's own limit (Payload.max_decode_packets)


@dataclass(frozen=True)
class SocketMessage:
    text: str
    session_id: str | None
    metadata: dict[str, Any] = field(default_factory=dict)


def requested_session_id(request: object) -> object:
    """The session id a `session_request` asks to resume (anything the client sent; the issuer checks it)."""
    return request.get("session_id") if isinstance(request, dict) else None


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


def payload_problem(body: bytes) -> str | None:
    """Why python-engineio would fail on this long-polling body (packets separated by \\x1e), or None."""
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8 text"
    packets = text.split("\x1e")
    if len(packets) > MAX_PACKETS_PER_REQUEST:
        return f"more than {MAX_PACKETS_PER_REQUEST} packets in one request"
    if any(not piece or piece[0] not in ENGINE_IO_PACKET_TYPES for piece in packets):
        return "each engine.io packet starts with its type: 1 (close), 3 (pong), 4 (message) or 5 (upgrade)"
    # A message carries a socket.io packet, which starts with its type; python-engineio reads any
    # other message as JSON, with no limit on nesting.
    if any(piece[0] == "4" and piece[1:2] not in SOCKET_IO_PACKET_TYPES for piece in packets):
        return "each engine.io message holds a socket.io packet, starting with its type, a digit from 0 to 6"
    return None


def packet_problem(packet_class: type[packet.Packet], data: object) -> str | None:
    """Why python-socketio would fail on this engine.io message, or None if it can take it."""
    if not isinstance(data, str):  # bytes: a binary attachment; anything else: engine.io read the message as JSON
        return "not a text socket.io packet (the widget sends no other)"
    try:
        decoded = packet_class(encoded_packet=data)
    except Exception as error:  # whatever the decoder raises (ValueError, TypeError ...), we cannot read the packet
        return f"not a socket.io packet: {error or type(error).__name__}"
    if decoded.packet_type == packet.EVENT and not (
            isinstance(decoded.data, list) and decoded.data and isinstance(decoded.data[0], str)):
        return "an event must be a list that starts with the event's name"
    if decoded.packet_type not in (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK):
        return f"a packet of type {decoded.packet_type!r} (the widget sends no binary)"
    return None
