"""Request heads that Sanic would answer with a 500, or not at all, get a 400 saying what is wrong.

The checks are in server/request_heads.py (a Content-Length that is not plain digits, a
Transfer-Encoding other than chunked, a request target that is not an ASCII URL); this patch adds
them to the app Rasa builds for `rasa run`, so they cover every route it serves: the channels, the
widget's files, socket.io, and the HTTP API when it is on.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any

import rasa.core.run
from sanic import Sanic

from server.patches.target import Target
from server.request_heads import refuse_malformed_heads

TARGETS = (Target(rasa.core.run, "configure_app", (
    "input_channels", "cors", "auth_token", "enable_api", "response_timeout", "jwt_secret", "jwt_private_key",
    "jwt_method", "route", "port", "endpoints", "log_file", "conversation_id", "use_syslog", "syslog_address",
    "syslog_port", "syslog_protocol", "request_timeout", "server_listeners", "use_uvloop", "keep_alive_timeout"),
    __name__),)
_PATCHED = "_career_request_heads"


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Install once; later calls change nothing."""
    if not getattr(rasa.core.run.configure_app, _PATCHED, False):
        rasa.core.run.configure_app = _guarded(rasa.core.run.configure_app)


def _guarded(configure_app: Callable[..., Sanic]) -> Callable[..., Sanic]:
    @functools.wraps(configure_app)
    def configure_guarded_app(*args: Any, **kwargs: Any) -> Sanic:
        app = configure_app(*args, **kwargs)
        refuse_malformed_heads(app)
        return app

    setattr(configure_guarded_app, _PATCHED, True)
    return configure_guarded_app
