"""What the webchat channel accepts from a socket.io client."""
from __future__ import annotations

from typing import Any

import pytest

from channels.requests import BadRequest
from channels.socket_messages import SocketMessage, parse_user_message, requested_session_id


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
    ],
)
def test_malformed_messages_are_refused_with_a_reason(data: Any, reason: str) -> None:
    with pytest.raises(BadRequest, match=reason):
        parse_user_message(data, metadata_key="metadata")


@pytest.mark.parametrize(("request_", "wanted"), [({"session_id": "abc"}, "abc"), ({"session_id": 42}, 42), ({}, None),
                                                  (None, None), (["session_id"], None)])
def test_the_session_asked_for_is_read_from_an_object_only(request_: Any, wanted: object) -> None:
    assert requested_session_id(request_) == wanted
