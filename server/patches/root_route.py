"""`GET /` answers {"status": "ok"}, without naming the Rasa version ("Hello from Rasa: 3.6.21").

The version told anyone who asked which Rasa's known flaws to try. `GET /` stays the liveness
check (docs/operations.md); the version is still in the HTTP API's `/version`, behind its JWT.
Rasa adds this route to both of its apps (with and without the HTTP API) through the function
replaced here.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

import rasa.server
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from server.patches.target import Target

TARGETS = (Target(rasa.server, "add_root_route", ("app",), __name__),)


def add_root_route(app: Sanic) -> None:
    """GET / answers that the server is up, and nothing more."""

    @app.get("/")
    async def alive(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Replace Rasa's root route by ours (the same function each time)."""
    rasa.server.add_root_route = add_root_route
