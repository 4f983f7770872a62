"""The owner's report at /insights/, served by the Rasa server only when INSIGHTS_TOKEN is set.

Not a way to talk to the bot: a channel is where `rasa run` lets a project add routes, as the widget
channel adds its pages. Without INSIGHTS_TOKEN the channel adds nothing and /insights/ is a 404.
With it, GET /insights/ (and ?since=YYYY-MM-DD&until=YYYY-MM-DD, UTC, the last 30 days by default)
needs the token as `Authorization: Bearer <token>` or as the password of HTTP basic auth, which a
browser asks for; anything else gets a 401. The page is built from the conversations this server
stores (its tracker store's database), in a worker thread, one report at a time, and is the same
page `make insights` writes (insights/page.py), sent with its strict Content-Security-Policy.
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from insights import page, report
from insights.access import CHALLENGE, TOKEN_VARIABLE, InsightsTokenError, authorised, token_from_env
from insights.events import Period

PREFIX = "/insights"
DEFAULT_DAYS = 30
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY"}

logger = logging.getLogger(__name__)


class InsightsConfigError(RasaException):
    """INSIGHTS_TOKEN is set but too weak (reported without a traceback)."""


class InsightsPage(InputChannel):
    """The report page (`insights`): takes no messages; serves /insights/ when INSIGHTS_TOKEN is set."""

    @classmethod
    def name(cls) -> str:
        return "insights"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InsightsPage:
        try:
            return cls(token=token_from_env(os.environ))
        except InsightsTokenError as error:
            raise InsightsConfigError(str(error)) from None

    def __init__(self, *, token: str | None = None) -> None:
        self.token = token

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if self.token is None:
            return Blueprint("insights_off")  # no route at all: /insights/ does not exist
        logger.info("the owner's report is served at %s/ to requests carrying %s", PREFIX, TOKEN_VARIABLE)
        return _AtInsights(page_blueprint(self.token))


def engine_of(app: Sanic) -> Engine | None:
    """The database of the server's tracker store, or None when conversations are not kept in SQL."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa wraps the configured store in a FailSafeTrackerStore
    engine = getattr(store, "engine", None)
    return engine if isinstance(engine, Engine) else None


def page_blueprint(token: str) -> Blueprint:
    """GET /insights/: the report, for requests carrying the token."""
    pages = Blueprint("insights_page", url_prefix=PREFIX)
    one_at_a_time = asyncio.Lock()  # a report reads the whole period: never several at once

    async def show(request: Request) -> HTTPResponse:
        if not authorised(request.headers.get("Authorization"), token):
            logger.warning("refused a request for %s/ without the right %s", PREFIX, TOKEN_VARIABLE)
            return response.text(f"This page needs the owner's token ({TOKEN_VARIABLE}): as the password when the "
                                 "browser asks, or as `Authorization: Bearer <token>`.\n", status=401,
                                 headers={**HEADERS, "WWW-Authenticate": CHALLENGE})
        try:
            period = Period.of_days(request.args.get("since") or None, request.args.get("until") or None,
                                    days=DEFAULT_DAYS, now=datetime.now(timezone.utc))
        except ValueError as error:
            return response.text(f"{error}\n", status=400, headers=HEADERS)
        engine = engine_of(request.app)
        if engine is None:
            return response.text("Conversations are not kept in an SQL database here (see docs/operations.md, "
                                 "Conversations and sessions), so there is nothing to report.\n", status=503, headers=HEADERS)
        try:
            async with one_at_a_time:
                insights = await asyncio.to_thread(report.build, engine, period)
        except SQLAlchemyError as error:
            logger.warning("could not build the report for %s/: %s", PREFIX, str(error).splitlines()[0])
            return response.text("The conversation database cannot be read just now; try again in a moment.\n",
                                 status=503, headers=HEADERS)
        rendered = page.render(insights, form=True)
        return response.html(rendered.html,
                             headers={**HEADERS, "Content-Security-Policy": f"{rendered.policy}; frame-ancestors 'none'"})

    pages.add_route(show, "/", methods=["GET"], name="insights_page", strict_slashes=False)  # /insights too
    return pages


class _AtInsights(Blueprint):
    """Registers the page under /insights, wherever Rasa registers the channel's own (empty) blueprint."""

    def __init__(self, pages: Blueprint) -> None:
        super().__init__("insights_channel")
        self.ctx.pages = pages

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        super().register(app, options)  # type: ignore[no-untyped-call]
        app.blueprint(self.ctx.pages)
