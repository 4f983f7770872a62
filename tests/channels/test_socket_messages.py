"""What the webchat channel accepts from a socket.io client."""
from __future__ import annotations

from typing import Any

import pytest

from channels.requests import BadRequest
from channels.socket_messages import (
    SocketMessage,
    packet_problem,
    parse_user_message,
    payload_problem,
    requested_session_id,
)
from channels.webchat import bounded_packets


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


@pytest.mark.parametrize(("request_", "wanted"), [({"session_id": "abc"}, "abc"), ({"session_id": 42}, 42), ({}, None),
                                                  (None, None), (["session_id"], None)])
def test_the_session_asked_for_is_read_from_an_object_only(request_: Any, wanted: object) -> None:
    assert requested_session_id(request_) == wanted


# --- below the messages: engine.io payloads and socket.io packets ----------------------------------

def test_what_the_widget_posts_is_taken() -> None:
    assert payload_problem(b"") is None
    assert payload_problem(b'40\x1e42["user_uttered",{"message":"hi"}]\x1e3') is None


@pytest.mark.parametrize(("body", "reason"), [
    (b"\xff", "not UTF-8"),
    (b"x", "starts with its type"),
    ("²".encode(), "starts with its type"),
    (b"9", "starts with its type"),  # python-engineio failed on an unknown type with a traceback
    (b"0", "starts with its type"),  # an open packet: python-engineio closed the session and the request hung
    (b"4\x1e", "starts with its type"),
    (b"bAAAA", "starts with its type"),
    (b"d=", "starts with its type"),
    (b"4" + b"[" * 30_000, "holds a socket.io packet"),  # python-engineio would read it as JSON, and recurse
    ("4²".encode(), "holds a socket.io packet"),
    (b"\x1e".join([b"3"] * 17), "more than 16 packets"),
])
def test_a_payload_python_engineio_would_fail_on_is_refused(body: bytes, reason: str) -> None:
    assert reason in (payload_problem(body) or "")


def test_socketio_packets_of_the_widget_are_taken() -> None:
    for data in ("0", "1", '2["session_request",{"session_id":null}]', '2["user_uttered",{"message":"hi"}]', "21[\"x\"]", "3"):
        assert packet_problem(bounded_packets(), data) is None, data


@pytest.mark.parametrize(("data", "reason"), [
    ("2" + "[" * 30_000, "nested more than 32 levels deep"),  # json.loads would raise RecursionError
    ('2{"n":' + "1" * 5_000 + "}", "number longer than 100 characters"),
    ("2²[\"user_uttered\"]", "not a socket.io packet"),  # "²".isdigit(), but int("²") fails
    ("2" + "1" * 5_000 + '["x"]', "not a socket.io packet"),
    ("9", "a packet of type 9"),
    ('2{"a": 1}', "an event must be a list that starts with the event's name"),
    ("2[]", "an event must be a list that starts with the event's name"),
    ("2[[1], 2]", "an event must be a list that starts with the event's name"),
    ('51-["x",{"_placeholder":true,"num":0}]', "a packet of type 5"),
    (["not", "text"], "not a text socket.io packet"),
    (b"\x00", "not a text socket.io packet"),
])
def test_a_packet_python_socketio_would_fail_on_is_dropped_with_a_reason(data: object, reason: str) -> None:
    assert reason in (packet_problem(bounded_packets(), data) or "")
