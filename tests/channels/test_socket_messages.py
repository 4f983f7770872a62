"""What the webchat channel accepts from a socket.io client."""
from __future__ import annotations

import re
from typing import Any

import pytest

from channels.requests import BadRequest
from channels.socket_messages import SocketMessage, new_session_id, parse_user_message, session_id_for


def test_a_session_of_ours_is_resumed() -> None:
    ours = new_session_id()
    assert session_id_for({"session_id": ours}) == ours


@pytest.mark.parametrize("request_", [None, {}, {"session_id": None}, {"session_id": "me"}, {"session_id": "A" * 32},
                                      {"session_id": 42}, ["session_id"], {"session_id": "0" * 31 + "\n"}])
def test_anything_else_gets_a_new_session(request_: Any) -> None:
    issued = session_id_for(request_)
    assert re.fullmatch(r"[0-9a-f]{32}", issued)
    assert session_id_for(request_) != issued  # a new one every time, never the one asked for


def test_the_widgets_message_is_accepted() -> None:
    sent = {"message": "what does an AI engineer do?", "customData": {"language": "en"}, "session_id": "ab" * 16}
    assert parse_user_message(sent, metadata_key="metadata") == SocketMessage(
        text="what does an AI engineer do?", session_id="ab" * 16, metadata={})


def test_metadata_may_be_an_object_or_a_json_string() -> None:
    assert parse_user_message({"message": "hi", "metadata": {"a": 1}}, metadata_key="metadata").metadata == {"a": 1}
    assert parse_user_message({"message": "hi", "metadata": '{"a": 1}'}, metadata_key="metadata").metadata == {"a": 1}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("hello", "expected an object"),
        ({"session_id": "x"}, "'message' must be a string"),
        ({"message": {"text": "hi"}}, "'message' must be a string"),
        ({"message": "x" * 70_000}, "longer than 64 KiB"),
        ({"message": "hi", "session_id": 7}, "'session_id' must be a string"),
        ({"message": "hi", "metadata": "{oops"}, "'metadata' is not valid JSON"),
        ({"message": "hi", "metadata": [1]}, "'metadata' must be an object"),
        ({"message": "hi", "metadata": "[" * 30_000}, "nested more than 32 levels deep"),
        ({"message": "hi", "metadata": '{"n": ' + "1" * 5_000 + "}"}, "number longer than 100 characters"),
    ],
)
def test_malformed_messages_are_refused_with_a_reason(data: Any, reason: str) -> None:
    with pytest.raises(BadRequest, match=reason):
        parse_user_message(data, metadata_key="metadata")
