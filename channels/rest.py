"""Rasa's REST channel with strict input checking: malformed requests get a 400, never a 500.

Stock RestInput accepts a body without "message" (and processes None), a JSON list, or a nested
object as the text. This channel keeps the same URL (/webhooks/rest/webhook) and reply format, and
adds the server's readiness check, GET /webhooks/rest/ready (channels/readiness.py).

Conversations: a post names its conversation with "sender" (required), stored as `rest:<sender>`
(channels/senders.py), so a REST caller can neither join a widget visitor's or a Slack user's
conversation nor share one with every caller that names none. Replies carry the sender as given.

Callers: with REST_TOKEN set, every post needs `Authorization: Bearer <REST_TOKEN>` (how a website's
backend calls the bot), and anything else gets a 401. Without it, the channel is for trusted
callers only: whoever can reach it can talk as any REST sender.
"""
from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import notices
from channels.readiness import ReadinessProbe
from channels.requests import BadRequest, parse_rest_body
from channels.senders import REST, conversation_id

TOKEN_VARIABLE = "REST_TOKEN"
MIN_TOKEN_LENGTH = 32

logger = logging.getLogger(__name__)


class RestTokenError(RasaException):
    """REST_TOKEN is set but too short to be a secret (reported without a traceback)."""


def token_from_env(environ: Mapping[str, str] = os.environ) -> str | None:
    """The bearer token REST callers must send, or None when the channel is for trusted callers only."""
    token = environ.get(TOKEN_VARIABLE, "")
    if not token:
        return None
    if len(token) < MIN_TOKEN_LENGTH or not token.isascii() or not token.isprintable():
        raise RestTokenError(f"{TOKEN_VARIABLE} must be at least {MIN_TOKEN_LENGTH} printable ASCII characters "
                             "(e.g. `openssl rand -hex 32`)")
    return token


def authorised(header: str | None, token: str | None) -> bool:
    """Whether an Authorization header carries the token (always, when there is no token to ask for)."""
    if token is None:
        return True
    scheme, _, given = (header or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


class ValidatedRestInput(RestInput):
    """REST channel (`rest`) that validates the request body before processing it."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ValidatedRestInput:
        return cls(token=token_from_env())

    def __init__(self, *, token: str | None = None) -> None:
        self.token = token

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("validated_rest_webhook", __name__)
        probe = ReadinessProbe()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            readiness = await probe.check(getattr(request.app.ctx, "agent", None))
            return response.json(readiness.as_json(), status=200 if readiness.ready else 503)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not authorised(request.headers.get("Authorization"), self.token):
                return response.json({"error": f"this channel needs `Authorization: Bearer <{TOKEN_VARIABLE}>`"},
                                     status=401, headers={"WWW-Authenticate": "Bearer"})
            try:
                message = parse_rest_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            conversation = conversation_id(REST, message.sender)
            try:
                await on_new_message(
                    UserMessage(
                        message.text,
                        collector,
                        conversation,
                        input_channel=self.name(),
                        metadata=message.metadata or None,
                    )
                )
            except Exception:
                logger.exception("could not handle a message from %s", conversation)
                return response.json([{"recipient_id": message.sender, "text": notices.something_went_wrong()}], status=200)
            return response.json([{**reply, "recipient_id": message.sender} for reply in collector.messages])

        return webhook
