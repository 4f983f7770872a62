"""Request heads Sanic mishandled get a 400 with the reason, on both servers, before their body is read."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sanic import Sanic, response
from sanic.compat import Header
from sanic.request import Request
from sanic.response import HTTPResponse

from server.request_heads import header_problem, refuse_malformed_heads, target_problem
from tests.support.live_app import LiveApp, serving


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveApp]:
    app = Sanic(f"guarded_{uuid.uuid4().hex[:8]}", configure_logging=False)
    refuse_malformed_heads(app)

    @app.route("/echo", methods=["GET", "POST"])
    async def echo(request: Request) -> HTTPResponse:
        return response.json({"length": len(request.body)})

    with serving(app) as live:
        yield live


def post(live: LiveApp, *header_lines: str, body: bytes = b"{}") -> tuple[int | None, bytes]:
    head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + "".join(f"{line}\r\n" for line in header_lines)
    reply = live.request(head.encode() + b"\r\n" + body)
    return reply.status, reply.body


@pytest.mark.parametrize("length", ["²", "١٢", "7" * 5_000, "+2", " 2 2", "0x2", "2_0"])
def test_a_content_length_that_is_not_plain_digits_gets_a_400_not_a_500(guarded: LiveApp, length: str) -> None:
    status, body = post(guarded, f"Content-Length: {length}")
    assert status == 400
    assert b"Content-Length must be a number of bytes, in at most 18 ASCII digits" in body
    assert guarded.tracebacks() == []


def test_a_negative_content_length_gets_a_400_and_the_server_goes_on_answering(guarded: LiveApp) -> None:
    """Sanic read the body of `Content-Length: -1` forever, and answered nobody else meanwhile."""
    status, _ = post(guarded, "Content-Length: -1")
    assert status == 400
    assert post(guarded, "Content-Length: 2") == (200, b'{"length":2}')


@pytest.mark.parametrize(("lines", "reason"), [
    (["Transfer-Encoding: gzip"], b"Transfer-Encoding may only be chunked"),
    (["Transfer-Encoding: Chunked"], b"Transfer-Encoding may only be chunked"),
    (["Transfer-Encoding: chunked", "Content-Length: 2"], b"may not have both Content-Length and Transfer-Encoding"),
    (["Content-Length: 2", "Content-Length: 3"], b"Content-Length is given twice, with different values"),
])
def test_a_body_whose_length_cannot_be_told_gets_a_400(guarded: LiveApp, lines: list[str], reason: bytes) -> None:
    status, body = post(guarded, *lines)
    assert status == 400
    assert reason in body
    assert guarded.tracebacks() == []


def test_chunked_and_plain_bodies_are_read(guarded: LiveApp) -> None:
    assert post(guarded, "Transfer-Encoding: chunked", body=b"2\r\n{}\r\n0\r\n\r\n") == (200, b'{"length":2}')
    assert post(guarded, "Content-Length: 2", "Content-Length: 2") == (200, b'{"length":2}')


@pytest.mark.parametrize("target", [b"/echo\xff", "/echoé".encode(), b"http://[/echo"])
def test_a_request_target_that_is_not_an_ascii_url_gets_a_400_not_a_dropped_connection(guarded: LiveApp, target: bytes) -> None:
    reply = guarded.request(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert reply.status == 400
    assert guarded.tracebacks() == []


def test_what_is_checked() -> None:
    assert target_problem(b"GET /webhooks/rest/webhook?x=%C3%A9 HTTP/1.1\r\nHost: x") is None
    assert target_problem("GET /café HTTP/1.1".encode()) == "the request target must be ASCII, with other characters percent-encoded"
    assert target_problem(b"GARBAGE") is None  # Sanic refuses a malformed request line itself
    assert header_problem(Header([("Content-Length", "12")])) is None
    assert header_problem(Header([("Transfer-Encoding", "chunked")])) is None
    assert header_problem(Header([("Content-Length", "١٢")])) is not None
