"""An HTTP API request whose token cannot be read gets 401, not a 500 and a traceback.

sanic-jwt catches expired and badly signed tokens, but not one that names no algorithm (an
unsigned token, alg "none"): stock Rasa answers it with a 500. The app Rasa creates gets an
exception handler that answers 401 instead. It only matters when the HTTP API is on.
"""
from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

import jwt
import rasa.server
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from server.patches.target import Target

TARGETS = (Target(rasa.server, "create_app", ("agent", "cors_origins", "auth_token", "response_timeout", "jwt_secret",
                                             "jwt_private_key", "jwt_method", "endpoints"), __name__),)
_PATCHED = "_career_api_tokens"

logger = logging.getLogger(__name__)


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Install once; later calls change nothing."""
    if not getattr(rasa.server.create_app, _PATCHED, False):
        rasa.server.create_app = _refusing_bad_tokens(rasa.server.create_app)


def _refusing_bad_tokens(create_app: Callable[..., Sanic]) -> Callable[..., Sanic]:
    @functools.wraps(create_app)
    def create_app_refusing_bad_tokens(*args: Any, **kwargs: Any) -> Sanic:
        app = create_app(*args, **kwargs)

        @app.exception(jwt.InvalidTokenError)  # type: ignore[no-untyped-call]
        async def unauthenticated(request: Request, error: jwt.InvalidTokenError) -> HTTPResponse:
            logger.warning("refused %s %s from %s: invalid token (%s)", request.method, request.path, request.ip, error)
            return response.json({"status": "failure", "reason": "NotAuthenticated",
                                  "message": "User is not authenticated.", "code": 401}, status=401)

        return app

    setattr(create_app_refusing_bad_tokens, _PATCHED, True)
    return create_app_refusing_bad_tokens
