"""/insights/ over HTTP: absent without INSIGHTS_TOKEN, refused without the token or with a wrong one, served with it.

The channel is registered the way `rasa run` registers channels, on a Sanic app of its own whose
agent's tracker store holds known conversations; the real Rasa server serving it is in
tests/insights/test_real_conversations.py.
"""
from __future__ import annotations

import asyncio
import base64
import secrets
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import register
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.insights import InsightsConfigError, InsightsPage
from insights.access import authorised, token_from_env
from tests.support import known_conversations as known
from tools.insights_sample import write

TOKEN = secrets.token_hex(32)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('insights') / 'conversations.db'}"
    write(sa.create_engine(url), known.scripts())
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


Reply = tuple[int, dict[str, str], str]


def requests(channel: InsightsPage, database: str | None, *calls: tuple[str, dict[str, str]]) -> list[Reply]:
    """Serve `channel` as `rasa run` would, make the GET requests (path, headers), and return status, headers and body.

    `database`: the URL of the tracker store's database (None: conversations kept in memory).
    """

    async def run() -> list[Reply]:
        app = Sanic(f"insights_{uuid.uuid4().hex[:8]}")
        store = SimpleNamespace(engine=sa.create_engine(database)) if database else SimpleNamespace()
        app.ctx.agent = SimpleNamespace(tracker_store=SimpleNamespace(_tracker_store=store))  # as Rasa wraps it
        app.add_route(hello, "/")  # as Rasa's own: the server has other routes
        register([channel], app, route="/webhooks/")
        port = free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        assert server is not None
        await server.startup()
        answers = []
        try:
            async with aiohttp.ClientSession() as session:
                for path, headers in calls:
                    async with session.get(f"http://127.0.0.1:{port}{path}", headers=headers, allow_redirects=False) as reply:
                        answers.append((reply.status, dict(reply.headers), await reply.text()))
        finally:
            server.close()
            await server.wait_closed()
        return answers

    # Several apps in one process: otherwise Sanic rewrites its own methods for the first and fails on the next.
    previous, Sanic.test_mode = Sanic.test_mode, True
    try:
        return asyncio.run(run())
    finally:
        Sanic.test_mode = previous


async def hello(_: Request) -> HTTPResponse:
    return response.text("Hello from Rasa")


def basic(password: str, user: str = "owner") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def page_with_token(database: str) -> Iterator[list[Reply]]:
    yield requests(
        InsightsPage(token=TOKEN), database,
        ("/insights/", {}),
        ("/insights/", {"Authorization": f"Bearer {secrets.token_hex(32)}"}),
        ("/insights/", basic(secrets.token_hex(32))),
        ("/insights/", {"Authorization": f"Bearer {TOKEN[:-1]}"}),
        ("/insights/", {"Authorization": TOKEN}),
        ("/insights/?since=2026-11-01&until=2026-11-30", {"Authorization": f"Bearer {TOKEN}"}),
        ("/insights?since=2026-11-01&until=2026-11-30", basic(TOKEN)),
        ("/insights/?since=yesterday", {"Authorization": f"Bearer {TOKEN}"}),
    )


def test_without_insights_token_the_path_does_not_exist(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSIGHTS_TOKEN", raising=False)
    channel = InsightsPage.from_credentials(None)
    assert channel.token is None
    statuses = [status for status, _, _ in requests(channel, database, ("/insights/", {}), ("/insights/", basic("x" * 40)),
                                                      ("/insights", {"Authorization": f"Bearer {TOKEN}"}))]
    assert statuses == [404, 404, 404]


def test_without_the_token_or_with_a_wrong_one_the_page_is_refused(page_with_token: list[Reply]) -> None:
    for status, headers, body in page_with_token[:5]:
        assert status == 401
        assert headers["WWW-Authenticate"].startswith("Basic realm=")  # a browser asks for the password
        assert "conversations" not in body.lower() and "<html" not in body


def test_with_the_token_as_bearer_or_basic_password_the_report_is_served(
        page_with_token: list[Reply]) -> None:
    for status, headers, body in page_with_token[5:7]:
        assert status == 200, body
        assert "How the career guide is used" in body and "what is the weather today?" in body
        assert headers["Content-Security-Policy"].startswith("default-src 'none'; style-src 'sha256-")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["Cache-Control"] == "no-store"
        assert "2026-11-01 00:00 to 2026-12-01 00:00 UTC" in body
        assert "jo.doe@example.com" not in body and "rest:ann" not in body and "widget:k1" not in body
    status, _, body = page_with_token[7]
    assert status == 400 and "since 'yesterday': write a date as YYYY-MM-DD" in body


def test_without_a_readable_conversation_database_it_says_so(tmp_path: Path) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    [(in_memory, _, said)] = requests(InsightsPage(token=TOKEN), None, ("/insights/", bearer))
    assert in_memory == 503 and "not kept in an SQL database" in said
    [(unreadable, _, said)] = requests(InsightsPage(token=TOKEN), f"sqlite:///{tmp_path / 'empty.db'}", ("/insights/", bearer))
    assert unreadable == 503 and "cannot be read just now" in said and "Traceback" not in said


def test_a_short_token_stops_the_server_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHTS_TOKEN", "owner-password")
    with pytest.raises(InsightsConfigError, match="INSIGHTS_TOKEN must be at least 32 printable ASCII characters"):
        InsightsPage.from_credentials(None)


def test_the_token_is_compared_whole_and_only_as_bearer_or_basic_password() -> None:
    assert authorised(f"Bearer {TOKEN}", TOKEN) and authorised(f"bearer  {TOKEN} ", TOKEN)
    assert authorised(basic(TOKEN)["Authorization"], TOKEN) and authorised(basic(TOKEN, user="")["Authorization"], TOKEN)
    refused = [None, "", TOKEN, f"Token {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:16]}", basic(TOKEN + "x")["Authorization"],
               basic(TOKEN, user=TOKEN)["Authorization"].replace("Basic ", "Bearer "), "Basic not-base64!", basic("")["Authorization"],
               "Basic " + base64.b64encode(TOKEN.encode()).decode()]  # no "user:" before it
    assert not any(authorised(header, TOKEN) for header in refused)
    assert token_from_env({}) is None and token_from_env({"INSIGHTS_TOKEN": TOKEN}) == TOKEN
    for weak in ("short", "x" * 31, "é" * 40, "a" * 20 + " " + "b" * 20, "a:" * 20):
        with pytest.raises(ValueError, match="INSIGHTS_TOKEN"):
            token_from_env({"INSIGHTS_TOKEN": weak})


def test_the_channel_is_listed_in_the_credentials_file() -> None:
    text = (Path(__file__).resolve().parents[2] / "credentials.yml").read_text(encoding="utf-8")
    assert "\nchannels.insights.InsightsPage:" in text
