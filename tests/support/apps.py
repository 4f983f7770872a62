"""The two servers' web apps, built in the test process as their entry points build them, without a model.

`rasa_app` is the app `rasa run` serves (server.patches installed first, as server/rasa_server.py
does), with an agent that answers every message with one line; `action_app` is the action
server's (server/action_server.py). Serve them with tests/support/live_app.py.
"""
from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

from channels.origins import AllowedOrigins

ALLOWED_ORIGIN = "http://localhost:5005"


class EchoAgent:
    """Stands for Rasa's agent: every message is answered with "you said: <text>", and kept."""

    action_endpoint = None  # readiness: no action server

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    def is_ready(self) -> bool:
        return True

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"you said: {message.text}")


def rasa_app(channels: list[InputChannel], *, agent: Any = None) -> Sanic:
    """Rasa's app (HTTP API off) for these channels, patched, with an EchoAgent unless `agent` is given."""
    import rasa.core.run

    from server import patches

    patches.install()
    app = rasa.core.run.configure_app(input_channels=channels, cors=list(AllowedOrigins.from_env({}).origins),
                                      enable_api=False, route="/webhooks/")
    app.ctx.agent = agent if agent is not None else EchoAgent()
    return app


def action_app() -> Sanic:
    from server.action_server import create_app

    app: Sanic = create_app()
    return app
