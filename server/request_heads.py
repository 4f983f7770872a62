"""Refuse, with a 400 and a reason, request heads that Sanic 21.12 (both servers' web server) mishandles.

Sanic reads `Content-Length` with `int()`, before any route or middleware runs, and so
- `Content-Length: ²` (a Unicode digit) or a 5,000-digit value gets a 500 and a traceback in the log;
- `Content-Length: -1` with a body never finishes: Sanic loops on the body, and the whole server
  stops answering everyone;
- `Transfer-Encoding` other than exactly `chunked`, without a Content-Length, gets a 500.
A request target that is not ASCII or not a URL gets no answer at all: the connection is dropped,
with a traceback in the log.

`refuse_malformed_heads(app)` checks each request head as soon as Sanic has read it (Sanic's
`http.lifecycle.read_head` and `http.lifecycle.request` signals) and refuses these with a 400
saying what is wrong. The Rasa server's app gets it from server/patches/request_heads.py, the
action server's from server/action_server.py.
"""
from __future__ import annotations

import re
from typing import Any

from httptools import parse_url  # what Sanic parses the request target with
from sanic import Sanic
from sanic.exceptions import InvalidUsage
from sanic.http import Http
from sanic.request import Request

MAX_CONTENT_LENGTH_DIGITS = 18  # a billion gigabytes; Sanic refuses bodies over 100 MB with a 413 anyway
_CONTENT_LENGTH = re.compile(rf"[0-9]{{1,{MAX_CONTENT_LENGTH_DIGITS}}}")
_GUARDED = "_career_request_heads"


def target_problem(head: bytes) -> str | None:
    """Why the request line of `head` cannot be served, or None."""
    request_line = head.split(b"\r\n", 1)[0]
    parts = request_line.split(b" ")
    if len(parts) != 3:
        return None  # Sanic answers a malformed request line with a 400 itself
    target = parts[1]
    if not target.isascii() or any(byte < 0x21 or byte == 0x7F for byte in target):
        return "the request target must be ASCII, with other characters percent-encoded"
    try:
        parse_url(target)
    except Exception:  # httptools' HttpParserInvalidURLError, which it does not export from one place
        return "the request target is not a URL"
    return None


def header_problem(headers: Any) -> str | None:
    """Why these request headers make the body unreadable, or None."""
    lengths = headers.getall("content-length", [])
    encodings = headers.getall("transfer-encoding", [])
    if encodings and lengths:
        return "a request may not have both Content-Length and Transfer-Encoding"
    if encodings and encodings != ["chunked"]:
        return "Transfer-Encoding may only be chunked"
    if any(not _CONTENT_LENGTH.fullmatch(value) for value in lengths):
        return f"Content-Length must be a number of bytes, in at most {MAX_CONTENT_LENGTH_DIGITS} ASCII digits"
    if len(set(lengths)) > 1:
        return "Content-Length is given twice, with different values"
    return None


def refuse_malformed_heads(app: Sanic) -> None:
    """Answer requests whose head Sanic would mishandle with a 400 and the reason, before their body is read."""
    if getattr(app.ctx, _GUARDED, False):
        return
    setattr(app.ctx, _GUARDED, True)
    _let_sanic_answer_unreadable_targets()

    @app.signal("http.lifecycle.read_head")
    async def check_target(head: bytes) -> None:
        problem = target_problem(head)
        if problem is not None:
            raise InvalidUsage(problem)  # Sanic answers "Bad Request", without the reason, at this stage

    @app.signal("http.lifecycle.request")
    async def check_headers(request: Request) -> None:
        problem = header_problem(request.headers)
        if problem is not None:
            raise InvalidUsage(problem)


def _let_sanic_answer_unreadable_targets() -> None:
    """Sanic builds its error reply around the request target; one it cannot encode or parse made it drop the connection.

    Its stand-in request for the reply then takes "*" as its target instead (once per process).
    """
    create_empty_request = Http.create_empty_request
    if getattr(create_empty_request, _GUARDED, False):
        return

    def create_empty_request_for_any_target(self: Http) -> None:
        try:
            create_empty_request(self)
        except Exception:
            self.url = None
            create_empty_request(self)

    setattr(create_empty_request_for_any_target, _GUARDED, True)
    Http.create_empty_request = create_empty_request_for_any_target  # type: ignore[method-assign]
