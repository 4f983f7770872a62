"""Security rules, each with the requests that must be refused: the HTTP API, CORS, message length, secrets."""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml

from bot.notices import MAX_MESSAGE_CHARS, message_too_long
from channels.rest import RestTokenError, token_from_env
from channels.senders import REST, conversation_id
from server.credentials import write_credentials
from server.rasa_server import ApiConfigError, ApiSettings, api_settings, rasa_run_arguments
from tests.support.chat import RESEARCH_ANSWERS, asked, sender, text_of
from tests.support.logs import log_lines_from_now
from tests.support.socket_chat import SocketChat
from tools.harness.servers import Servers

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_ORIGIN = "http://localhost:5005"  # in CORS_ORIGINS by default


def request(servers: Servers, method: str, path: str, *, token: str | None = None, origin: str | None = None,
            body: Any = None) -> tuple[int, dict[str, str], Any]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if origin is not None:
        headers["Origin"] = origin
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(servers.rasa_url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers), parsed(response.read().decode())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), parsed(error.read().decode())


def parsed(raw: str) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def token(secret: str, *, role: str = "admin", username: str = "operator", **claims: Any) -> str:
    return jwt.encode({"user": {"username": username, "role": role}, **claims}, secret, algorithm="HS256")


# --- the HTTP API: off by default, JWT-protected when on ------------------------------------------

API_ROUTES = [("GET", "/status"), ("GET", "/conversations/someone/tracker"), ("POST", "/conversations/someone/messages"),
              ("POST", "/model/parse"), ("PUT", "/model"), ("DELETE", "/model"), ("GET", "/domain")]


@pytest.mark.e2e
@pytest.mark.model
@pytest.mark.parametrize(("method", "path"), API_ROUTES)
def test_the_http_api_is_off_by_default(servers: Servers, method: str, path: str) -> None:
    status, _, _ = request(servers, method, path, body={"text": "hi"} if method != "GET" else None)
    assert status == 404


def test_make_run_starts_rasa_without_the_api_flags() -> None:
    run_sh = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert "server/rasa_server.py" in run_sh
    assert not re.search(r"--enable-api|--auth-token|--jwt-secret", run_sh)


@pytest.mark.parametrize(("env", "expected"), [
    ({}, ApiSettings(enabled=False)),
    ({"RASA_API_ENABLED": "false", "RASA_JWT_SECRET": "x"}, ApiSettings(enabled=False)),
    ({"RASA_API_ENABLED": "true", "RASA_JWT_SECRET": "s" * 32}, ApiSettings(enabled=True, jwt_secret="s" * 32)),
])
def test_api_settings(env: dict[str, str], expected: ApiSettings) -> None:
    assert api_settings(env) == expected


@pytest.mark.parametrize(("env", "message"), [
    ({"RASA_API_ENABLED": "true"}, "RASA_API_ENABLED is true but RASA_JWT_SECRET is not set"),
    ({"RASA_API_ENABLED": "yes", "RASA_JWT_SECRET": "  "}, "RASA_API_ENABLED is true but RASA_JWT_SECRET is not set"),
    ({"RASA_API_ENABLED": "true", "RASA_JWT_SECRET": "short"}, "RASA_JWT_SECRET has 5 characters; use a random string of at least 32"),
    ({"RASA_API_ENABLED": "maybe"}, "RASA_API_ENABLED='maybe': write true or false"),
])
def test_unsafe_api_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ApiConfigError, match=re.escape(message)):
        api_settings(env)


@pytest.mark.parametrize("flag", ["--enable-api", "--auth-token=abc", "--jwt-secret"])
def test_api_flags_on_the_command_line_are_refused(flag: str) -> None:
    with pytest.raises(ApiConfigError, match="not on the command line"):
        rasa_run_arguments(["--port", "5005", flag], ApiSettings(enabled=False))


def test_the_secret_goes_to_rasa_with_hs256() -> None:
    arguments = rasa_run_arguments(["--port", "5005"], ApiSettings(enabled=True, jwt_secret="k" * 40))
    assert arguments == ["run", "--port", "5005", "--enable-api", "--jwt-secret", "k" * 40, "--jwt-method", "HS256"]


def test_the_rasa_server_refuses_to_start_with_the_api_on_and_no_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "RASA_JWT_SECRET"}
    result = subprocess.run([sys.executable, "-m", "server.rasa_server", "--port", "0"],
                            cwd=ROOT, env={**env, "RASA_API_ENABLED": "true"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("Rasa server not started: RASA_API_ENABLED is true but RASA_JWT_SECRET is not set")
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
@pytest.mark.model
def test_api_requests_without_a_valid_token_are_refused(api_servers: Servers, api_jwt_secret: str) -> None:
    forged = token("another-secret-of-the-same-length-" + "x" * 30)
    unsigned = jwt.encode({"user": {"username": "operator", "role": "admin"}}, None, algorithm="none")
    expired = token(api_jwt_secret, exp=int(time.time()) - 3600)  # sanic-jwt allows 60 s of clock skew
    logged = log_lines_from_now(api_servers.log_dir / "rasa.log")
    for bad in (None, "not-a-jwt", forged, unsigned, expired):
        for method, path in API_ROUTES:
            status, _, _ = request(api_servers, method, path, token=bad, body={"text": "hi"} if method != "GET" else None)
            assert status == 401, (bad, method, path, status)
    assert not [line for line in logged() if "Traceback" in line]


@pytest.mark.e2e
@pytest.mark.model
def test_a_valid_token_works_within_its_role(api_servers: Servers, api_jwt_secret: str) -> None:
    user = sender()
    api_servers.say(user, "hello")
    status, _, body = request(api_servers, "GET", "/status", token=token(api_jwt_secret))
    assert status == 200 and body["model_file"]
    stored = conversation_id(REST, user)  # the REST channel's name for it
    status, _, body = request(api_servers, "GET", f"/conversations/{stored}/tracker", token=token(api_jwt_secret))
    assert status == 200 and body["sender_id"] == stored
    own = token(api_jwt_secret, role="user", username=stored)
    assert request(api_servers, "GET", f"/conversations/{stored}/tracker", token=own)[0] == 200
    assert request(api_servers, "GET", "/conversations/someone-else/tracker", token=own)[0] == 403


@pytest.mark.e2e
@pytest.mark.model
@pytest.mark.parametrize(("origin", "allowed"), [(ALLOWED_ORIGIN, True), ("https://evil.example", False)])
def test_api_cors_is_limited_to_the_configured_origins(api_servers: Servers, origin: str, allowed: bool) -> None:
    for method, path in (("OPTIONS", "/status"), ("GET", "/")):
        status, headers, _ = request(api_servers, method, path, origin=origin)
        assert status < 500
        assert headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)


# --- the REST channel: behind REST_TOKEN when it is set ---------------------------------------------


@pytest.mark.e2e
@pytest.mark.model
def test_rest_needs_the_token_when_one_is_set(api_servers: Servers) -> None:
    body = json.dumps({"sender": sender(), "message": "what does an AI engineer do?"}).encode()
    assert api_servers.rest_token
    for authorisation in ("", "Bearer", "Bearer wrong", f"Basic {api_servers.rest_token}", f"Bearer {api_servers.rest_token}x"):
        status, reply = api_servers.post(body, headers={"Authorization": authorisation})
        assert status == 401 and "REST_TOKEN" in reply["error"], (authorisation, status, reply)
    status, reply = api_servers.post(body)  # with `Authorization: Bearer <REST_TOKEN>`
    assert status == 200 and "AI Engineer" in text_of(reply)


def test_a_short_rest_token_is_refused_naming_the_variable() -> None:
    with pytest.raises(RestTokenError, match="REST_TOKEN must be at least 32"):
        token_from_env({"REST_TOKEN": "short"})
    assert token_from_env({}) is None and token_from_env({"REST_TOKEN": "t" * 32}) == "t" * 32


# --- message length: a polite note on every channel, the conversation untouched ------------------


@pytest.mark.e2e
@pytest.mark.model
def test_an_over_long_message_gets_a_note_and_the_interview_goes_on(servers: Servers) -> None:
    user = sender()
    assert asked(servers.say(user, "which role suits me?")) == "goal"
    too_long = ("I love maths. " * (MAX_MESSAGE_CHARS // 14 + 1)).strip()  # Rasa strips what it receives
    assert text_of(servers.say(user, too_long)) == message_too_long(len(too_long))
    assert asked(servers.say(user, RESEARCH_ANSWERS["goal"])) == "interest"


@pytest.mark.e2e
@pytest.mark.model
def test_a_message_at_the_limit_is_answered(servers: Servers) -> None:
    question = "What does an AI engineer do?"
    message = question + " " * (MAX_MESSAGE_CHARS - len(question) - 1) + "?"
    assert len(message) == MAX_MESSAGE_CHARS
    assert "AI Engineer" in text_of(servers.say(sender(), message))


@pytest.mark.e2e
@pytest.mark.model
def test_an_over_long_message_leaves_no_trace_in_the_conversation(api_servers: Servers, api_jwt_secret: str) -> None:
    user = sender()
    api_servers.say(user, "what does an AI engineer do?")
    path = f"/conversations/{conversation_id(REST, user)}/tracker"
    before = request(api_servers, "GET", path, token=token(api_jwt_secret))[2]["events"]
    api_servers.say(user, "x" * (MAX_MESSAGE_CHARS + 1))
    after = request(api_servers, "GET", path, token=token(api_jwt_secret))[2]["events"]
    assert after == before


@pytest.mark.e2e
@pytest.mark.model
def test_the_widget_gets_the_note_too(servers: Servers) -> None:
    async def scenario() -> None:
        chat = await SocketChat.open(servers.rasa_url)
        try:
            messages = await chat.say("y" * 5000, until=lambda m: bool(m))
            assert text_of(messages) == message_too_long(5000)
        finally:
            await chat.close()

    asyncio.run(scenario())


# --- secrets only from the environment ------------------------------------------------------------

SECRET_KEY = re.compile(r"token|secret|password|passwd|pass$|api_?key|private_key|credential|auth", re.IGNORECASE)
PLACEHOLDER = re.compile(r"^\$\{[A-Z][A-Z0-9_]*\}$")
URL_WITH_PASSWORD = re.compile(r"://[^/@\s:]+:[^/@\s]+@")


def literal_secrets(data: Any, where: str = "") -> list[str]:
    """Places in a parsed YAML file where a secret-looking key has a literal value, or a URL carries a password."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            place = f"{where}.{key}" if where else str(key)
            if SECRET_KEY.search(str(key)) and value is not None and not PLACEHOLDER.match(str(value)):
                found.append(place)
            else:
                found += literal_secrets(value, place)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += literal_secrets(value, f"{where}[{index}]")
    elif isinstance(data, str) and URL_WITH_PASSWORD.search(data) and "${" not in data:
        found.append(where)
    return found


def test_the_secret_scan_finds_literals() -> None:
    data = {"slack": {"slack_token": "xoxb-123", "slack_signing_secret": "${SLACK_SIGNING_SECRET}"},
            "tracker_store": {"url": "postgresql://bot:hunter2@db/bot", "password": "${DB_PASSWORD}"}}
    assert literal_secrets(data) == ["slack.slack_token", "tracker_store.url"]


def config_files() -> list[Path]:
    """The checked-in files, and the ones scripts generate from them into build/ (when present)."""
    patterns = ("credentials*.yml", "endpoints*.yml", "build/credentials*.yml", "build/endpoints*.yml")
    return sorted(p for pattern in patterns for p in ROOT.glob(pattern))


def test_credentials_and_endpoints_hold_no_literal_secrets() -> None:
    files = config_files()
    assert {p.name for p in files} >= {"credentials.yml", "endpoints.yml"}
    for path in files:
        assert literal_secrets(yaml.safe_load(path.read_text(encoding="utf-8")) or {}) == [], path


def test_the_generated_credentials_name_secrets_never_hold_them(tmp_path: Path) -> None:
    secrets = {"SLACK_TOKEN": "xoxb-real-looking-token", "SLACK_SIGNING_SECRET": "f" * 32}
    written = tmp_path / "credentials.yml"
    write_credentials(written, secrets)
    text = written.read_text(encoding="utf-8")
    assert not any(value in text for value in secrets.values())
    assert literal_secrets(yaml.safe_load(text)) == []
