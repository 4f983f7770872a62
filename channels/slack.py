"""Slack: Rasa's Slack connector, extended for our deployment.

Compared with Rasa's own (`rasa.core.channels.slack`), this channel
- talks to a configurable Web API URL (`slack_api_url`: tests, Enterprise Grid or GovSlack);
- says why it refuses a request: unsigned, forged, or timestamped more than five minutes away;
- answers a message once, however often Slack retries it or sends it as two events (message and mention);
- answers in the thread the user wrote in, with one conversation per thread (per user and channel
  outside threads), and joins a thread's conversation without being mentioned again;
- escapes text for mrkdwn, shows buttons as Block Kit, and replaces clicked buttons by the choice.

The request logic is plain Python in `channels/slack_events.py` and `channels/slack_format.py`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from urllib.parse import urlparse

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler, AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot import notices
from bot.answers import MAX_BUTTONS
from channels.slack_events import (
    Click,
    Incoming,
    RecentIds,
    RejectedRequest,
    check_signature,
    incoming_click,
    incoming_message,
    read_body,
)
from channels.slack_format import answered_blocks, button_blocks, escape

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
SLACK_ERRORS = (SlackClientError, aiohttp.ClientError, asyncio.TimeoutError)


class ThreadedSlackBot(SlackBot):
    """Rasa's Slack output, posting into one channel and thread through a shared client."""

    def __init__(self, client: AsyncWebClient, *, token: str, channel: str | None, thread_ts: str | None) -> None:
        super().__init__(token, slack_channel=channel, thread_id=thread_ts)
        self.client = client  # the channel's client, which knows the API URL

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)  # a legacy flag Slack refuses from new apps; they post as their bot user
        await super()._post_message(channel, **kwargs)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._post_message(self.slack_channel or recipient_id, text=escape(text))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        if len(buttons) > MAX_BUTTONS:
            logger.warning("Slack shows at most %d buttons; dropped %d", MAX_BUTTONS, len(buttons) - MAX_BUTTONS)
        await self._post_message(self.slack_channel or recipient_id, text=escape(text), blocks=button_blocks(text, buttons))


class SlackChannel(SlackInput):
    """Slack input channel (`slack`, POST /webhooks/slack/webhook) for events and button clicks."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SlackChannel:
        credentials = credentials or {}
        for key, variable in (("slack_token", "SLACK_TOKEN"), ("slack_signing_secret", "SLACK_SIGNING_SECRET")):
            if not isinstance(credentials.get(key), str) or not credentials[key].strip():
                raise InvalidConfigException(f"credentials: the Slack channel needs `{key}` (set {variable})")
        api_url = str(credentials.get("slack_api_url") or DEFAULT_API_URL)
        parsed = urlparse(api_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InvalidConfigException(f"credentials: `slack_api_url` (SLACK_API_URL) is not an http(s) URL: {api_url!r}")
        return cls(token=credentials["slack_token"].strip(), signing_secret=credentials["slack_signing_secret"].strip(),
                   api_url=api_url)

    def __init__(self, *, token: str, signing_secret: str, api_url: str = DEFAULT_API_URL) -> None:
        super().__init__(token, slack_signing_secret=signing_secret, use_threads=True, conversation_granularity="thread")
        self.client = AsyncWebClient(
            token=token,
            base_url=api_url if api_url.endswith("/") else api_url + "/",
            retry_handlers=[AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        self.handled = RecentIds()
        self.active_threads = RecentIds()  # conversations (sender ids) of threads the bot takes part in
        self._bot_user_id: str | None = None

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        return ThreadedSlackBot(self.client, token=self.slack_token, channel=channel, thread_ts=thread_id)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("career_slack_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            try:
                check_signature(secret=self.slack_signing_secret, timestamp=request.headers.get("X-Slack-Request-Timestamp"),
                                signed=request.headers.get("X-Slack-Signature"), body=body, now=time.time())
                payload = read_body(body, request.headers.get("Content-Type", ""))
            except RejectedRequest as error:
                logger.warning("refused a request to the Slack webhook: %s", error)
                return response.json({"error": str(error)}, status=error.status)
            if payload.get("type") == "url_verification":
                return response.json({"challenge": payload.get("challenge")})
            try:
                incoming = await self._incoming(payload)
            except SLACK_ERRORS as error:
                logger.error("could not ask Slack who the bot is (auth.test): %s; is SLACK_TOKEN right?", error)
                return response.json({"error": "the bot cannot reach Slack"}, status=503)  # Slack will retry
            if incoming is None:
                return response.empty(status=200)
            if not self.handled.add(incoming.ids):
                logger.info("ignored a message already answered (X-Slack-Retry-Num: %s)",
                            request.headers.get("X-Slack-Retry-Num", "none"))
                return response.empty(status=200)
            if incoming.conversation.thread_ts:
                self.active_threads.add([incoming.conversation.sender_id])
            # Slack wants an answer within three seconds: acknowledge now, reply when the bot has answered.
            self._in_background(self._answer(incoming, on_new_message))
            return response.empty(status=200)

        return webhook

    async def _incoming(self, payload: dict[str, Any]) -> Incoming | None:
        if payload.get("type") == "block_actions":
            return incoming_click(payload)
        if payload.get("type") == "event_callback":
            return incoming_message(payload, bot_user_id=await self._own_user_id(), active_threads=self.active_threads)
        return None

    async def _own_user_id(self) -> str:
        if self._bot_user_id is None:
            identity = await self.client.auth_test()
            self._bot_user_id = str(identity["user_id"])
        return self._bot_user_id

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background_tasks.add(task)  # keep a reference until it is done (asyncio holds only weak ones)
        task.add_done_callback(self._background_tasks.discard)

    async def _answer(self, incoming: Incoming, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        conversation = incoming.conversation
        output = self.get_output_channel(conversation.channel, conversation.thread_ts)
        if incoming.click is not None:
            await self._show_choice(incoming.click, user=conversation.user)
        try:
            await on_new_message(UserMessage(incoming.text, output, conversation.sender_id, input_channel=self.name()))
        except Exception:
            logger.exception("could not answer the Slack message in %s", conversation.sender_id)
            try:
                await output.send_text_message(conversation.sender_id, notices.something_went_wrong())
            except SLACK_ERRORS as error:
                logger.error("could not tell Slack user %s about the failure: %s", conversation.user, error)

    async def _show_choice(self, click: Click, *, user: str) -> None:
        """Replace the clicked buttons by the choice, so the question shows its answer and cannot be answered twice."""
        blocks = answered_blocks(click.blocks, fallback=click.text, choice=click.title, user=user)
        try:
            await self.client.chat_update(channel=click.channel, ts=click.message_ts, text=click.text, blocks=blocks)
        except SLACK_ERRORS as error:
            logger.warning("could not mark the buttons in %s as answered: %s", click.channel, error)
