"""Start the action server: knowledge base validated first, loopback only, errors that leak nothing.

rasa-sdk's own `rasa run actions` binds 0.0.0.0, allows every CORS origin, shows a traceback when
an action fails to load, and answers a failing request with a 500 that echoes the request body
(the whole conversation) and the exception's text. Here:
- a malformed bot/roles.yml stops start-up with one line naming the file, role and field (bot/phrases.yml:
  the file and key);
- it listens on 127.0.0.1 unless ACTIONS_HOST says otherwise, and sends no CORS headers (only
  the Rasa server calls it, never a browser);
- a request that is not an action call gets a 400 saying what is wrong (also JSON nested more than
  MAX_CALL_DEPTH levels or with a number over 100 characters, which json.loads answered with a 500,
  and a malformed request head: server/request_heads.py); an action that fails gets a 500 saying
  only which action failed; the request body is never echoed, and the traceback goes to this
  server's log, not to the caller;
- GET /health answers {"status": "ok"} (rasa-sdk's), for probes and for the Rasa server's readiness.

    python -m server.action_server [--port 5055]
    ACTIONS_HOST=0.0.0.0 python -m server.action_server   # only behind a firewall
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import knowledge, phrases
from bot.texts import TextFileError
from channels import json_body

ROOT = Path(__file__).resolve().parent.parent


DEFAULT_HOST = "127.0.0.1"
# A call nests a user's metadata a few levels inside the tracker (tracker, events, event, metadata),
# and the channels let it be json_body.MAX_DEPTH deep; twice that leaves room to spare.
MAX_CALL_DEPTH = 2 * json_body.MAX_DEPTH
logger = logging.getLogger("actions.server")


def bind_host(environ: Mapping[str, str]) -> str:
    """The address to listen on: ACTIONS_HOST, or loopback."""
    return environ.get("ACTIONS_HOST", "").strip() or DEFAULT_HOST


def action_call_problem(body: bytes, *, deflated: bool) -> str | None:
    """Why `body` is not an action call Rasa would send, or None if it is one."""
    try:
        raw = zlib.decompress(body) if deflated else body
        call = json_body.loads(raw.decode("utf-8"), max_depth=MAX_CALL_DEPTH) if raw.strip() else None
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError):
        return "the body is not valid JSON" + (" (deflate-compressed)" if deflated else "")
    except json_body.BadRequest as error:
        return str(error)
    if not isinstance(call, dict):
        return "the body must be a JSON object with 'next_action' and 'tracker'"
    if not isinstance(call.get("next_action"), str) or not call["next_action"]:
        return "'next_action' must name an action"
    if not isinstance(call.get("tracker"), dict):
        return "'tracker' must be a JSON object"
    if call.get("version") is not None and not isinstance(call["version"], str):
        return "'version' must be a string, the calling Rasa's version"  # rasa-sdk splits it before any action runs
    return None


def create_app() -> Any:
    """rasa-sdk's app for the actions in actions/, with the request checks and error replies above."""
    from rasa_sdk import endpoint
    from sanic import response
    from sanic.exceptions import SanicException
    from sanic.request import Request
    from sanic.response import HTTPResponse

    from server.request_heads import refuse_malformed_heads

    app = endpoint.create_app("actions", cors_origins="")
    refuse_malformed_heads(app)

    @app.on_request
    async def refuse_what_is_not_an_action_call(request: Request) -> HTTPResponse | None:
        if request.path != "/webhook" or request.method != "POST":
            return None
        problem = action_call_problem(request.body or b"", deflated=request.headers.get("Content-Encoding") == "deflate")
        if problem is None:
            return None
        logger.warning("refused a request to /webhook from %s: %s", request.ip, problem)
        return response.json({"error": problem}, status=400)

    @app.exception(Exception)
    async def reply_without_details(request: Request, error: Exception) -> HTTPResponse:
        if isinstance(error, SanicException):  # 404, 405, 413 ...: the caller's mistake, said plainly
            logger.info("%s %s: %s", request.method, request.path, error)
            return response.json({"error": str(error)}, status=error.status_code)
        action = _action_name(request)
        logger.error("action %r failed: %s: %s", action, type(error).__name__, error, exc_info=error)
        return response.json({"error": f"the action {action!r} failed; the action server's log says why"}, status=500)

    return app


def _action_name(request: Any) -> str:
    try:
        call = json_body.loads(request.body.decode("utf-8"), max_depth=MAX_CALL_DEPTH)
        return str(call.get("next_action"))
    except (ValueError, TypeError, AttributeError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the career assistant's action server.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--host", default=bind_host(os.environ))
    args = parser.parse_args()
    try:
        kb = knowledge.load()
    except knowledge.KnowledgeBaseError as exc:
        print(f"action server not started: knowledge base error: {exc}", file=sys.stderr)
        return 2
    try:
        phrases.load()  # now, so a broken bot/phrases.yml stops start-up instead of a conversation
    except TextFileError as exc:
        print(f"action server not started: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    logger.info("knowledge base loaded: %d roles, %d aspects", len(kb.roles), len(kb.aspects))

    from rasa_sdk.utils import number_of_sanic_workers

    app = create_app()
    logger.info("action server listening on http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, workers=number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
