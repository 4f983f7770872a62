"""Generated requests against every endpoint a stranger can reach: never a 5xx, never a traceback.

Hypothesis throws bodies and headers at the REST webhook, the Slack events endpoint, socket.io and
the action server's webhook, served in this process by the apps their entry points build
(tests/support/apps.py; no model is loaded, an echo agent answers). Each reply must be below 500
and show no traceback, and nothing may be logged with one: what went wrong must be said in a line.
The examples are derived from the test's name (derandomize), so every run sends the same requests.
"""
from __future__ import annotations

import json
import time
import uuid
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.rest import ValidatedRestInput
from channels.slack import SlackChannel
from channels.slack_events import signature
from channels.webchat import WebchatInput
from channels.widget import BUNDLE, WEB_DIR
from tests.support.apps import ALLOWED_ORIGIN, action_app, rasa_app
from tests.support.fake_slack import TOKEN, fake_slack
from tests.support.live_app import LiveApp, Reply, serving

SECRET = "fuzz-signing-secret"


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- what is generated --------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=15,
)
# The shapes that used to get a 500: deep nesting, very long numbers, and their neighbours.
deep_json = st.builds(lambda depth, opener: opener * depth + ("]" if opener == "[" else "") * depth,
                      st.sampled_from([30, 33, 1_000, 30_000]), st.sampled_from(["[", '{"a":']))
long_numbers = st.builds(lambda digits, sign, fraction: sign + "9" * digits + fraction,
                         st.sampled_from([99, 101, 4_300, 5_000, 20_000]), st.sampled_from(["", "-"]),
                         st.sampled_from(["", ".5", "e5", "e" + "9" * 5_000]))
hostile_json = deep_json | long_numbers.map(lambda number: json.dumps({"sender": "x", "message": "hi"})[:-1] + f', "n": {number}}}')
DIGITS = "0123456789²³¹٠١٢٣٤٥٦٧٨٩۰۱۲߀०१२३௧๑໑༡၁႑១᠑᥆᧑᪁᭑᮱᱀᱐꘠꣐꤀꧐꩐꯰０１２３"  # ASCII, and others str.isdigit() accepts
unicode_digits = st.text(alphabet=st.sampled_from(DIGITS), min_size=1, max_size=12)
# Header values: printable text without line ends (a raw line end would end the header, not test it).
header_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40) | unicode_digits | st.sampled_from(
    ["-1", "+2", "0x10", "1" * 5_000, "", " ", "\u00a0", "Ⅻ", "v0=é", "v0=" + "f" * 64])
content_types = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", "",
                                 "application/json; charset=latin-1", "multipart/form-data; boundary=x"]) | header_text
header_names = st.sampled_from(["Content-Length", "Transfer-Encoding", "Content-Encoding", "Origin", "Accept",
                                "Accept-Encoding", "Host", "Cookie", "Range", "X-Forwarded-For", "Authorization",
                                "X-Slack-Request-Timestamp", "X-Slack-Signature", "X-Slack-Retry-Num",
                                "If-None-Match"])
extra_headers = st.dictionaries(header_names, header_text, max_size=3)


def rest_bodies() -> st.SearchStrategy[bytes]:
    fields = st.fixed_dictionaries({}, optional={"sender": json_values, "message": json_values | st.text(),
                                                 "metadata": json_values})
    return st.one_of(
        fields.map(lambda body: json.dumps(body).encode()),
        json_values.map(lambda value: json.dumps(value).encode()),
        hostile_json.map(str.encode),
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
    )


def slack_payloads() -> st.SearchStrategy[dict[str, Any]]:
    event = st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(["message", "app_mention"]) | json_values, "user": st.text(max_size=12) | json_values,
        "channel": st.text(max_size=12) | json_values, "ts": st.text(max_size=12) | json_values,
        "text": st.text(max_size=50) | json_values, "channel_type": st.sampled_from(["im", "channel"]) | json_values,
        "thread_ts": json_values, "subtype": json_values, "bot_id": json_values, "client_msg_id": json_values})
    click = st.fixed_dictionaries({}, optional={
        "actions": st.lists(st.fixed_dictionaries({}, optional={"type": st.just("button") | json_values,
                                                                 "value": st.text(max_size=20) | json_values,
                                                                 "text": json_values}), max_size=3) | json_values,
        "user": st.fixed_dictionaries({}, optional={"id": st.text(max_size=10) | json_values}) | json_values,
        "container": json_values, "channel": json_values, "message": json_values})
    return st.builds(lambda kind, fields, extra: {"type": kind, **fields, **extra},
                     st.sampled_from(["event_callback", "block_actions", "url_verification"]) | json_values,
                     st.one_of(event.map(lambda e: {"event": e, "event_id": "Ev1"}), click),
                     st.dictionaries(st.sampled_from(["challenge", "event_id", "token"]), json_values, max_size=2))


# --- the servers --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rasa() -> Iterator[LiveApp]:
    if not (WEB_DIR / BUNDLE).is_file():
        pytest.skip("widget not installed: run `make setup`")
    with fake_slack() as slack:
        channels = [ValidatedRestInput(),
                    WebchatInput.from_credentials({"session_persistence": True, "user_message_evt": "user_uttered",
                                                   "bot_message_evt": "bot_uttered"}),
                    SlackChannel(token=TOKEN, signing_secret=SECRET, api_url=slack.api_url)]
        with serving(rasa_app(channels)) as live:
            yield live
            time.sleep(0.5)  # Slack messages are answered in the background: let the last ones finish
            assert live.tracebacks() == []


@pytest.fixture(scope="module")
def actions() -> Iterator[LiveApp]:
    with serving(action_app()) as live:
        yield live
        assert live.tracebacks() == []


def assert_handled(live: LiveApp, reply: Reply, logged_before: int) -> None:
    assert reply.status is None or reply.status < 500, reply
    assert b"Traceback" not in reply.body
    assert live.tracebacks()[logged_before:] == []


# --- the properties -----------------------------------------------------------------------------

@fuzz(150)
@given(body=rest_bodies(), content_type=content_types, headers=extra_headers)
def test_the_rest_webhook_never_answers_5xx(rasa: LiveApp, body: bytes, content_type: str, headers: dict[str, str]) -> None:
    before = len(rasa.tracebacks())
    reply = rasa.post("/webhooks/rest/webhook", body, {"Content-Type": content_type, **headers})
    assert_handled(rasa, reply, before)


@fuzz(150)
@given(payload=slack_payloads(), as_form=st.booleans(), raw=st.none() | hostile_json.map(str.encode) | rest_bodies(),
       signing=st.sampled_from(["right", "wrong", "none", "odd timestamp", "odd signature"]), odd=header_text,
       retry=st.none() | header_text)
def test_the_slack_endpoint_never_answers_5xx(rasa: LiveApp, payload: dict[str, Any], as_form: bool, raw: bytes | None,
                                              signing: str, odd: str, retry: str | None) -> None:
    if raw is not None:
        body, content_type = raw, "application/json"
    elif as_form:
        body, content_type = urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
    else:
        body, content_type = json.dumps(payload).encode(), "application/json"
    stamp = str(int(time.time()))
    headers = {"Content-Type": content_type}
    if signing != "none":
        headers["X-Slack-Request-Timestamp"] = odd if signing == "odd timestamp" else stamp
        headers["X-Slack-Signature"] = odd if signing == "odd signature" else signature(
            secret=SECRET if signing == "right" else "another", timestamp=stamp, body=body)
    if retry is not None:
        headers["X-Slack-Retry-Num"] = retry
    before = len(rasa.tracebacks())
    reply = rasa.post("/webhooks/slack/webhook", body, headers)
    assert_handled(rasa, reply, before)
    if signing == "right" and raw is None:
        assert reply.status in (200, 400), reply  # signed JSON is read; only a malformed one is refused


SOCKET = "/socket.io/?EIO=4&transport=polling"
SESSION = "0123456789abcdef" * 2  # a session id of the shape we issue


def open_socket(live: LiveApp) -> str:
    """A socket.io session as the widget opens it: the handshake, a connect, and a session request."""
    handshake = live.request(f"GET {SOCKET} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ALLOWED_ORIGIN}\r\n"
                             "Connection: close\r\n\r\n".encode())
    assert handshake.status == 200, handshake
    sid = json.loads(handshake.body[1:])["sid"]
    for packet in ("40", '42["session_request",{"session_id":"' + SESSION + '"}]'):
        assert send_packets(live, sid, packet.encode()).status == 200
    return str(sid)


def send_packets(live: LiveApp, sid: str, payload: bytes) -> Reply:
    return live.post(f"{SOCKET}&sid={sid}", payload, {"Content-Type": "text/plain;charset=UTF-8", "Origin": ALLOWED_ORIGIN})


def socket_packets() -> st.SearchStrategy[bytes]:
    message = st.fixed_dictionaries({}, optional={"message": st.text(max_size=50) | json_values,
                                                  "session_id": st.just(SESSION) | json_values,
                                                  "metadata": json_values | hostile_json})
    event = st.tuples(st.sampled_from(["user_uttered", "session_request"]) | st.text(max_size=10),
                      message | json_values).map(lambda e: "42" + json.dumps(list(e)))
    return st.one_of(
        event,
        hostile_json.map(lambda text: "42" + text),  # socket.io event packets that are too deep or too long
        hostile_json.map(lambda text: "4" + text),  # an engine.io message that is JSON, not socket.io
        st.builds(lambda digits, rest: "42" + digits + rest, unicode_digits | st.sampled_from(["1" * 5_000]),
                  st.sampled_from(['["user_uttered",{"message":"hi"}]', ""])),  # packet ids
        st.builds(lambda kind, rest: kind + rest, unicode_digits | st.text(max_size=3), st.text(max_size=30)),
    ).map(lambda packet: packet.encode("utf-8", "surrogatepass"))


@fuzz(80)
@given(packets=st.lists(socket_packets(), min_size=1, max_size=3))
def test_socketio_never_answers_5xx_and_drops_bad_packets_in_a_line(rasa: LiveApp, packets: list[bytes]) -> None:
    sid = open_socket(rasa)
    before = len(rasa.tracebacks())
    reply = send_packets(rasa, sid, b"\x1e".join(packets))  # engine.io's separator between packets in one POST
    assert_handled(rasa, reply, before)


def action_bodies() -> st.SearchStrategy[bytes]:
    # Action names are never ones the action server has: a real action given a tracker Rasa would
    # never send may fail, and that failure is a 500 naming the action (tests/server/test_action_server.py).
    call = st.fixed_dictionaries({}, optional={"next_action": st.text(max_size=20).map(lambda name: f"fuzz_{name}") | json_values,
                                               "tracker": json_values, "domain": json_values, "version": json_values,
                                               "sender_id": json_values})
    return st.one_of(call.map(lambda body: json.dumps(body).encode()), rest_bodies())


@fuzz(150)
@given(body=action_bodies(), deflate=st.booleans(), headers=extra_headers)
def test_the_action_server_never_answers_5xx(actions: LiveApp, body: bytes, deflate: bool, headers: dict[str, str]) -> None:
    if deflate:
        body, headers = zlib.compress(body), {"Content-Encoding": "deflate", **headers}
    before = len(actions.tracebacks())
    reply = actions.post("/webhook", body, headers)
    assert_handled(actions, reply, before)


@pytest.mark.parametrize(("server", "path"), [
    *(("rasa", path) for path in ("/", "/webhooks/rest/", "/webhooks/rest/ready", "/webhooks/socketio/",
                                  "/webhooks/slack/", "/webchat/", "/socket.io/", "/nowhere")),
    *(("actions", path) for path in ("/health", "/actions", "/webhook", "/nowhere")),
])
def test_the_open_routes_answer_odd_requests_below_500(request: pytest.FixtureRequest, server: str, path: str) -> None:
    live: LiveApp = request.getfixturevalue(server)
    designed = {503} if path.endswith("/ready") else set()  # not ready: the echo agent has no action server
    before = len(live.tracebacks())
    end = "Connection: close\r\n\r\n"
    for raw in (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{end}".encode(),
                f"GET {path}?EIO=²&a=%ff%fe&{uuid.uuid4().hex}=² HTTP/1.1\r\nHost: \xff\r\n{end}".encode("latin-1"),
                f"GET {path}é HTTP/1.1\r\nHost: 127.0.0.1\r\n{end}".encode(),
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ²\r\n{end}{{}}".encode(),
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n{end}{{}}".encode(),
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n{end}{{}}".encode()):
        reply = live.request(raw)
        assert reply.status is not None and (reply.status < 500 or reply.status in designed), (raw, reply)
    assert live.tracebacks()[before:] == []
