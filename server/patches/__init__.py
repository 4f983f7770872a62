"""Every change this project makes to Rasa's own behaviour, installed by one call: `install()`.

- speedups: compiled validation of action-server replies;
- faults: an apology within seconds when the action server is down or hanging;
- message_limit: a polite note instead of an answer for over-long messages;
- admission: at most a few turns at once per server, the rest waiting their turn;
- api_tokens: a token the HTTP API cannot read gets 401, not a 500 and a traceback;
- request_heads: a request head Sanic would answer with a 500 (`Content-Length: ²`) or never
  finish (`Content-Length: -1`) gets a 400;
- root_route: `GET /` says the server is up without naming the Rasa version;
- lock_waits: a message queued behind another of its conversation starts as soon as that one
  ends, not at the next of Rasa's once-a-second checks.

The Rasa server's entry point (server/rasa_server.py) calls `install()` before Rasa starts. Rasa
started another way (`rasa run`, `rasa shell`) runs without them; to keep them there, call
`server.patches.install()` in the process before Rasa's own `main()`.

Each patch replaces a function inside Rasa, so it is written for one Rasa version. `install()`
refuses, with one line naming the function, unless `rasa.__version__` is that version and every
function to be replaced is still there with the parameters the patch was written for.
"""
from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Mapping

from server.patches import admission, api_tokens, faults, lock_waits, message_limit, request_heads, root_route, speedups
from server.patches.target import Target

RASA_VERSION = "3.6.21"
PATCHES = (speedups, faults, message_limit, admission, api_tokens, request_heads, root_route, lock_waits)

logger = logging.getLogger(__name__)


class PatchError(RuntimeError):
    """The installed Rasa is not the one the patches were written for; the message says what differs."""


def check(targets: tuple[Target, ...], *, rasa_version: str) -> None:
    """Raise PatchError unless Rasa is RASA_VERSION and each target has the parameters it was written for."""
    if rasa_version != RASA_VERSION:
        raise PatchError(f"the patches in server/patches/ are written for Rasa {RASA_VERSION}, but Rasa {rasa_version} "
                         f"is installed: install rasa=={RASA_VERSION} (requirements.txt), or review each patch first")
    for target in targets:
        function = getattr(target.owner, target.attribute, None)
        if not callable(function):
            raise PatchError(f"{target.name} is not in Rasa {rasa_version}: the patch in {target.patch} cannot be installed")
        found = tuple(inspect.signature(function).parameters)
        if found != target.parameters:
            raise PatchError(f"{target.name} takes ({', '.join(found)}), but the patch in {target.patch} was written "
                             f"for ({', '.join(target.parameters)})")


def install(environ: Mapping[str, str] = os.environ) -> None:
    """Check every patch against the installed Rasa, then install each once; later calls change nothing."""
    import rasa

    check(tuple(target for patch in PATCHES for target in patch.TARGETS), rasa_version=rasa.__version__)
    for patch in PATCHES:
        patch.apply(environ)
    logger.debug("Rasa patches installed: %s", ", ".join(patch.__name__.rsplit(".", 1)[-1] for patch in PATCHES))
