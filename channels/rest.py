"""Rasa's REST channel with strict input checking: malformed requests get a 400, never a 500.

Stock RestInput accepts a body without "message" (and processes None), a JSON list, or a nested
object as the text. This channel keeps the same URL (/webhooks/rest/webhook) and reply format, and
adds the server's readiness check, GET /webhooks/rest/ready (channels/readiness.py).
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import notices
from channels.readiness import ReadinessProbe
from channels.requests import BadRequest, parse_rest_body

logger = logging.getLogger(__name__)


class ValidatedRestInput(RestInput):
    """REST channel (`rest`) that validates the request body before processing it."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ValidatedRestInput:
        return cls()

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
            try:
                message = parse_rest_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        message.text,
                        collector,
                        message.sender,
                        input_channel=self.name(),
                        metadata=message.metadata or None,
                    )
                )
            except Exception:
                logger.exception("could not handle a message from %s", message.sender)
                return response.json([{"recipient_id": message.sender, "text": notices.something_went_wrong()}], status=200)
            return response.json(collector.messages)

        return webhook
