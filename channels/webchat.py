"""The website chat widget: Rasa's socket.io channel, limited to allowed origins, plus the widget's files.

One server serves everything:
- socket.io on /socket.io/ (Rasa's SocketIOInput; health check on /webhooks/socketio/),
- the demo page on /webchat/ and the widget bundle on /webchat/webchat.js (channels/widget.py).

What it changes in Rasa's channel:
- Origins. Rasa creates its socket.io server with CORS handling switched off, so any website could
  open a socket to the bot. Here a browser page may connect only if this server served it or its
  origin is in CORS_ORIGINS (channels/origins.py); others are refused at the socket.io handshake. HTTP
  CORS headers stay with `rasa run --cors`, which scripts/run.sh gives the same list.
- Sessions. Rasa 3.6 calls python-socketio 5's `enter_room` without awaiting it, so with
  session_persistence no reply ever reached the widget. Session ids are issued and signed by the
  server (channels/sessions.py): a page may resume an id it was given, never choose one, and one
  socket holds one session for its lifetime. The conversation is stored as `widget:<key>`
  (channels/senders.py), which no other channel can name.
- Messages are checked like the REST channel's: a malformed one is logged and dropped, and a
  failure inside Rasa gets an apology instead of silence. So are socket.io packets: one that
  python-socketio cannot decode (JSON nested too deep, an over-long number, an id of Unicode
  digits, an event that is not a list starting with its name, binary data the widget never sends)
  is dropped with one line in the log, where python-engineio logged a traceback.
- Line breaks. The widget renders bot text as Markdown, which joins single lines into one
  paragraph; they are sent as Markdown hard breaks so bullets stay on their own lines.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer, packet

from bot import notices
from channels import json_body
from channels.origins import AllowedOrigins, OriginError
from channels.requests import BadRequest
from channels.senders import WIDGET, conversation_id
from channels.sessions import SessionIssuer, SessionSecretError
from channels.socket_messages import packet_problem, parse_user_message, payload_problem, requested_session_id
from channels.widget import DEMO_PAGE_POLICY, WidgetFiles, WidgetMissing

logger = logging.getLogger(__name__)

PAGE_PREFIX = "/webchat"


def keep_line_breaks(text: str) -> str:
    """`text` with each single newline made a Markdown hard break (blank lines still split messages)."""
    return re.sub(r"(?<!\n)\n(?!\n)", "  \n", text)


class WebchatOutput(SocketIOOutput):
    """Rasa's socket.io output, keeping our line breaks in the widget."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, keep_line_breaks(text), **kwargs)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        await super().send_text_with_buttons(recipient_id, keep_line_breaks(text), buttons, **kwargs)


class WebchatConfigError(RasaException):
    """Bad CORS_ORIGINS or WIDGET_SECRET, or a missing widget install, reported without a traceback."""


class WebchatInput(SocketIOInput):
    """Socket.io channel (`socketio`) for the rasa-webchat widget, serving the widget too."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        try:
            channel = super().from_credentials(credentials)
        except (OriginError, WidgetMissing, SessionSecretError) as error:
            raise WebchatConfigError(str(error)) from None
        assert isinstance(channel, WebchatInput)
        return channel

    def __init__(self, *args: Any, origins: AllowedOrigins | None = None, files: WidgetFiles | None = None,
                 sessions: SessionIssuer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origins = origins if origins is not None else AllowedOrigins.from_env()
        self.files = files if files is not None else WidgetFiles.load()
        self.sessions = sessions if sessions is not None else SessionIssuer.from_env()

    def get_output_channel(self) -> WebchatOutput | None:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sockets = super().blueprint(on_new_message)
        assert self.sio is not None
        self._refuse_other_origins(self.sio)
        self._refuse_malformed_payloads(self.sio)
        self._drop_malformed_packets(self.sio)
        self._handle_sessions_and_messages(self.sio, on_new_message)
        logger.info("socket.io accepts pages from this server and from: %s", ", ".join(self.origins.origins) or "nowhere else")
        return _AlongsidePages(sockets, pages_blueprint(self.files))

    def _refuse_other_origins(self, sio: AsyncServer) -> None:
        """Wrap Rasa's connect handler: a browser page from an origin we don't allow is refused."""
        namespace = self.namespace or "/"
        rasa_connect = sio.handlers[namespace]["connect"]

        async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not self.origins.allows(origin, host=environ.get("HTTP_HOST")):
                logger.warning("refused a socket.io connection from %s: not this server and not in CORS_ORIGINS", origin)
                return False
            return bool(await rasa_connect(sid, environ, auth))

        sio.on("connect", connect, namespace=namespace)

    def _refuse_malformed_payloads(self, sio: AsyncServer) -> None:
        """A polling request whose body python-engineio cannot split into packets gets a 400, with one line in the log."""
        handle_request = sio.eio.handle_request  # the route is made from this attribute when Sanic registers us

        async def checked(request: Request) -> HTTPResponse:
            problem = payload_problem(request.body or b"") if request.method == "POST" else None
            if problem is not None:
                logger.warning("refused a socket.io request from %s: %s", request.ip, problem)
                return response.json({"error": problem}, status=400)
            reply: HTTPResponse = await handle_request(request)
            return reply

        sio.eio.handle_request = checked

    def _drop_malformed_packets(self, sio: AsyncServer) -> None:
        """Decode packets within json_body's limits, and drop one python-socketio would fail on, with one line in the log."""
        sio.packet_class = bounded_packets(sio.packet_class)
        handle_message = sio.eio.handlers["message"]

        async def message(eio_sid: str, data: object) -> None:
            problem = packet_problem(sio.packet_class, data)
            if problem is not None:
                logger.warning("dropped a socket.io packet from %s: %s", eio_sid, problem)
                return
            await handle_message(eio_sid, data)

        sio.eio.on("message", message)

    def _handle_sessions_and_messages(self, sio: AsyncServer, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Replace Rasa's `session_request` and user-message handlers (see the module docstring)."""
        namespace = self.namespace or "/"

        # An event sent with no argument or with several reaches these with what it has (a TypeError
        # in python-socketio otherwise); the first argument is checked like any other.
        async def session_request(sid: str, data: object = None, *_: object) -> None:
            held = await sio.get_session(sid, namespace=namespace)
            wanted = requested_session_id(data)
            if held:
                if wanted not in (None, held["session_id"]):
                    logger.warning("socket %s asked for a second session; it keeps the one it holds", sid)
            else:
                resumable = self.session_persistence and self.sessions.key_of(wanted) is not None
                session_id = str(wanted) if resumable else self.sessions.issue()
                held = {"session_id": session_id, "sender": conversation_id(WIDGET, str(self.sessions.key_of(session_id)))}
                await sio.save_session(sid, held, namespace=namespace)
                await sio.enter_room(sid, held["sender"], namespace=namespace)
            await sio.emit("session_confirm", held["session_id"], room=sid, namespace=namespace)

        async def user_message(sid: str, data: object = None, *_: object) -> None:
            try:
                message = parse_user_message(data, metadata_key=self.metadata_key or "metadata")
            except BadRequest as error:
                logger.warning("dropped a message from socket %s: %s", sid, error)
                return
            held = await sio.get_session(sid, namespace=namespace)
            if not held:
                logger.warning("dropped a message from socket %s: it has not asked for a session", sid)
                return
            if self.session_persistence and message.session_id != held["session_id"]:
                logger.warning("dropped a message from socket %s: not for the session it was given", sid)
                return
            sender = held["sender"]
            output = WebchatOutput(sio, self.bot_message_evt)
            try:
                await on_new_message(UserMessage(message.text, output, sender, input_channel=self.name(),
                                                 metadata=message.metadata or None))
            except Exception:
                logger.exception("could not handle a message from %s", sender)
                await output.send_text_message(sender, notices.something_went_wrong())

        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, user_message, namespace=namespace)


class _PacketJSON:
    """json_body as the `json` module python-socketio decodes packets with."""

    loads = staticmethod(json_body.loads)
    dumps = staticmethod(json.dumps)


def bounded_packets(packet_class: type[packet.Packet] = packet.Packet) -> type[packet.Packet]:
    """`packet_class` decoding its JSON within json_body's limits (what AsyncServer(json=...) sets, for one server)."""
    return type("BoundedPacket", (packet_class,), {"json": _PacketJSON})


def pages_blueprint(files: WidgetFiles) -> Blueprint:
    """GET /webchat/ (the demo page), /webchat/demo.js and /webchat/webchat.js (the widget)."""
    pages = Blueprint("webchat_pages", url_prefix=PAGE_PREFIX)
    bundle_etag = '"' + hashlib.sha256(files.bundle.encode()).hexdigest()[:32] + '"'

    @pages.route("/", methods=["GET"])
    async def demo_page(_: Request) -> HTTPResponse:
        return response.html(files.pages["index.html"],
                             headers={"Content-Security-Policy": DEMO_PAGE_POLICY, "Cache-Control": "no-cache"})

    @pages.route("/demo.js", methods=["GET"])
    async def demo_script(_: Request) -> HTTPResponse:
        return response.text(files.pages["demo.js"], content_type="text/javascript; charset=utf-8",
                             headers={"Cache-Control": "no-cache"})

    @pages.route("/webchat.js", methods=["GET"])
    async def widget(request: Request) -> HTTPResponse:
        headers = {"ETag": bundle_etag, "Cache-Control": "no-cache"}
        if request.headers.get("If-None-Match") == bundle_etag:
            return response.empty(status=304, headers=headers)
        return response.text(files.bundle, content_type="text/javascript; charset=utf-8", headers=headers)

    return pages


class _AlongsidePages(Blueprint):
    """Registers Rasa's socket.io blueprint under the channel's prefix and the pages under /webchat."""

    def __init__(self, sockets: Blueprint, pages: Blueprint) -> None:
        super().__init__("webchat_channel")
        self.ctx.sockets, self.ctx.pages = sockets, pages

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        super().register(app, options)  # type: ignore[no-untyped-call]
        app.blueprint(self.ctx.sockets, **options)
        app.blueprint(self.ctx.pages)
