"""The action server: refuses a malformed knowledge base, listens on loopback, and its errors leak nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from server.action_server import bind_host
from tests.support.apps import action_app
from tests.support.live_app import LiveApp, serving
from tests.support.logs import log_lines_from_now
from tools.harness.servers import Servers

ROOT = Path(__file__).resolve().parents[2]


def test_malformed_knowledge_base_stops_the_action_server(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "bot" / "roles.yml").read_text(encoding="utf-8"))
    del data["roles"][1]["career"]
    bad = tmp_path / "roles.yml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "server.action_server", "--port", "0"],
        cwd=ROOT, env={**os.environ, "CAREER_KB_FILE": str(bad)}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert f"{bad}: role 'ai_engineer', field 'career': is missing or empty" in result.stderr
    assert "Traceback" not in result.stderr


# --- the running action server: loopback only, health, and errors that leak nothing ---------------

MARKER = "private-words-7f3a"  # stands for what a user typed; must never come back in an error


def post_to_actions(servers: Servers, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(servers.actions_url + "/webhook", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on `port`, from /proc/net/tcp and tcp6."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                addresses.add(address)
    return addresses


@pytest.mark.e2e
@pytest.mark.model
def test_the_action_server_listens_on_loopback_only(servers: Servers) -> None:
    port = int(servers.actions_url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, little-endian hex


def test_the_bind_address_comes_from_actions_host() -> None:
    assert bind_host({}) == "127.0.0.1"
    assert bind_host({"ACTIONS_HOST": " "}) == "127.0.0.1"
    assert bind_host({"ACTIONS_HOST": "0.0.0.0"}) == "0.0.0.0"


@pytest.mark.e2e
@pytest.mark.model
def test_the_action_server_health_check(servers: Servers) -> None:
    with urllib.request.urlopen(servers.actions_url + "/health", timeout=10) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok"}


@pytest.mark.e2e
@pytest.mark.model
@pytest.mark.parametrize(("body", "reason"), [
    (b'{"next_action": "action_answer_role", "tracker": ' + MARKER.encode(), "the body is not valid JSON"),
    (json.dumps([MARKER]).encode(), "the body must be a JSON object with 'next_action' and 'tracker'"),
    (json.dumps({"next_action": 7, "tracker": {"note": MARKER}}).encode(), "'next_action' must name an action"),
    (json.dumps({"next_action": "action_answer_role", "tracker": MARKER}).encode(), "'tracker' must be a JSON object"),
])
def test_a_malformed_action_call_gets_a_400_that_echoes_nothing(servers: Servers, body: bytes, reason: str) -> None:
    logged = log_lines_from_now(servers.log_dir / "actions.log")
    status, text, _ = post_to_actions(servers, body)
    assert status == 400
    assert json.loads(text) == {"error": reason}
    time.sleep(0.2)  # the log line is written after the reply
    assert [line.split(" - ", 1)[1] for line in logged()] == [f"refused a request to /webhook from 127.0.0.1: {reason}"]


@pytest.mark.e2e
@pytest.mark.model
def test_a_failing_action_gets_a_500_that_names_only_the_action(servers: Servers) -> None:
    # No sender_id: rasa-sdk fails inside the action call; stock rasa-sdk would echo this whole body.
    call = {"next_action": "action_answer_role", "tracker": {"latest_message": {"text": MARKER}, "slots": {}}}
    status, text, _ = post_to_actions(servers, json.dumps(call).encode())
    assert status == 500
    assert json.loads(text) == {"error": "the action 'action_answer_role' failed; the action server's log says why"}
    assert MARKER not in text and "Traceback" not in text


@pytest.mark.e2e
@pytest.mark.model
def test_the_action_server_sends_no_cors_headers(servers: Servers) -> None:
    request = urllib.request.Request(servers.actions_url + "/health", headers={"Origin": "https://evil.example"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "Access-Control-Allow-Origin" not in response.headers


# --- in this process: what used to get a 500 before any action ran ---------------------------------

@pytest.fixture(scope="module")
def actions() -> Iterator[LiveApp]:
    with serving(action_app()) as live:
        yield live


@pytest.mark.parametrize("deflated", [False, True])
def test_json_nested_30000_deep_gets_a_400_not_a_500(actions: LiveApp, deflated: bool) -> None:
    """Issue 16: json.loads raised RecursionError, which only the catch-all 500 handler caught."""
    body = b'{"next_action": "action_answer_role", "tracker": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    headers = {"Content-Encoding": "deflate"} if deflated else {}
    reply = actions.post("/webhook", zlib.compress(body) if deflated else body, headers)
    assert reply.status == 400
    assert json.loads(reply.body) == {"error": "the JSON is nested more than 64 levels deep"}
    assert actions.tracebacks() == []


def test_a_5000_digit_integer_gets_a_400_not_a_500(actions: LiveApp) -> None:
    """Issue 16: Python refuses to read an int of more than 4,300 digits with a ValueError, not a JSONDecodeError."""
    body = b'{"next_action": "action_answer_role", "tracker": {"sender_id": "me", "n": ' + b"7" * 5_000 + b"}}"
    reply = actions.post("/webhook", body)
    assert reply.status == 400
    assert json.loads(reply.body) == {"error": "the JSON has a number longer than 100 characters"}
    assert actions.tracebacks() == []


def test_a_version_that_is_not_text_gets_a_400_not_a_500(actions: LiveApp) -> None:
    """rasa-sdk splits the caller's version at its dots before it looks for the action."""
    reply = actions.post("/webhook", json.dumps({"next_action": "action_answer_role", "tracker": {}, "version": 3.6}).encode())
    assert reply.status == 400
    assert json.loads(reply.body) == {"error": "'version' must be a string, the calling Rasa's version"}
    assert actions.tracebacks() == []


def test_a_call_nesting_a_users_metadata_as_deep_as_the_channels_allow_is_read(actions: LiveApp) -> None:
    metadata: object = "deepest"
    for _ in range(31):  # a REST body {"metadata": ...} at the channels' 32 levels
        metadata = {"m": metadata}
    tracker = {"sender_id": "me", "slots": {}, "latest_message": {"text": "hi", "metadata": metadata},
               "events": [{"event": "user", "text": "hi", "metadata": metadata}]}
    reply = actions.post("/webhook", json.dumps({"next_action": "action_nobody_has", "tracker": tracker}).encode())
    assert reply.status == 404  # read, and then refused for its action name, not for its depth
