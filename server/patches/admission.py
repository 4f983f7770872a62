"""A bound on how many turns one Rasa server works on at once; the rest wait their turn, in order.

A Rasa server is one Python process with one event loop. Stock Rasa starts every message the
moment it arrives, so under a burst fifty turns share the loop at once: each advances a little at
a time, every one of them finishes late, and a turn that is waiting on the action server is not
resumed until the loop has gone round all the others. Its reply may be ready in milliseconds and
still be read after ACTION_TIMEOUT, so the user gets the "can't answer right now" apology from a
healthy action server (server/patches/faults.py).

Here at most MAX_CONCURRENT_TURNS turns (default 4) run at once; later messages wait, in the order
they came, before their turn starts. Waiting costs no more than it did (the server's work per
second is the same), but a running turn is never starved, so the action timeout measures the
action server again, and not the queue. A few turns at once, not one, so that a turn waiting for
the database or the action server leaves the processor to another.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.processor import MessageProcessor
from rasa.shared.exceptions import RasaException

from server.patches.target import Target

LIMIT_VARIABLE = "MAX_CONCURRENT_TURNS"
DEFAULT_LIMIT = 4
MAX_LIMIT = 1000
_PATCHED = "_career_admission"
TARGETS = (Target(MessageProcessor, "handle_message", ("self", "message"), __name__),)

logger = logging.getLogger(__name__)


class AdmissionConfigError(RasaException):
    """MAX_CONCURRENT_TURNS is not a usable whole number (reported by Rasa without a traceback)."""


def limit_from(environ: Mapping[str, str]) -> int:
    """How many turns may run at once: MAX_CONCURRENT_TURNS, or the default."""
    raw = environ.get(LIMIT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise AdmissionConfigError(
            f"{LIMIT_VARIABLE}={raw!r} is not a number of turns to run at once: give a whole number from 1 to "
            f"{MAX_LIMIT}, e.g. {LIMIT_VARIABLE}={DEFAULT_LIMIT}"
        )
    return limit


class Admission:
    """A gate for coroutines with at most `limit` inside at once; the others wait, in arrival order."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.running = 0
        self.waiting = 0
        self._semaphore: asyncio.Semaphore | None = None

    def _gate(self) -> asyncio.Semaphore:
        # Made on first use, inside the server's event loop (Sanic starts the loop after we patch).
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.limit)
        return self._semaphore

    async def run(self, start: Callable[[], Awaitable[Any]]) -> Any:
        """Wait for a place, then await what `start()` returns; a cancelled waiter starts nothing."""
        gate = self._gate()
        self.waiting += 1
        try:
            await gate.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            return await start()
        finally:
            self.running -= 1
            gate.release()


def apply(environ: Mapping[str, str] = os.environ) -> Admission:
    """Bound MessageProcessor.handle_message once; later calls return the gate already installed."""
    installed = getattr(MessageProcessor.handle_message, _PATCHED, None)
    if isinstance(installed, Admission):
        return installed
    admission = Admission(limit_from(environ))
    MessageProcessor.handle_message = _admitted(MessageProcessor.handle_message, admission)  # type: ignore[method-assign]
    logger.info("at most %d turns run at once on this server; later messages wait their turn", admission.limit)
    return admission


def _admitted(handle_message: Callable[..., Awaitable[Any]], admission: Admission) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(handle_message)
    async def admitted_handle_message(self: MessageProcessor, *args: Any, **kwargs: Any) -> Any:
        return await admission.run(lambda: handle_message(self, *args, **kwargs))

    setattr(admitted_handle_message, _PATCHED, admission)
    return admitted_handle_message
