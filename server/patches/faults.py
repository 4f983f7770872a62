"""Action-server faults: a short apology within seconds, and the conversation left as it was.

Stock Rasa 3.6 waits up to 300 s for a custom action. When the action server is down, refuses,
answers with an error or hangs, Rasa logs a traceback, drops the action's events, goes on
predicting, and the user gets no reply at all. `apply()` changes that inside Rasa's message
processor, so every channel behaves the same:

- each call to the action server is bounded by ACTION_TIMEOUT seconds (default 1: a healthy action server answers in milliseconds);
- a failed call ends the turn: the user gets `bot.notices.action_server_down()`, and the turn is
  undone, so the dialogue state is as it was before the message (an open interview question is
  still open) and sending the message again, once the action server is back, carries the
  conversation on. The history keeps what the bot said and, on the apology, the unanswered text;
- the log gets one line naming the conversation, the action and what went wrong. Only a fault
  that is a bug on this side (not the action server's) is logged with its traceback.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import math
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from jsonschema import ValidationError
from rasa.core.actions.action import Action, ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError

from bot import notices
from bot.texts import TextFileError
from server.patches.target import Target

TARGETS = (
    Target(RemoteAction, "run", ("self", "output_channel", "nlg", "tracker", "domain"), __name__),
    Target(MessageProcessor, "_run_action", ("self", "action", "tracker", "output_channel", "nlg", "prediction"), __name__),
)

TIMEOUT_VARIABLE = "ACTION_TIMEOUT"
DEFAULT_TIMEOUT = 1.0
MAX_TIMEOUT = 300.0  # Rasa's own limit
_PATCHED = "_career_fault_handling"

logger = logging.getLogger(__name__)

RunAction = Callable[..., Awaitable[Any]]


class ActionServerFault(RasaException):
    """A custom action could not be run; the message says which one and why, in one line."""


class FaultConfigError(RasaException):
    """ACTION_TIMEOUT is not a usable number of seconds, or bot/notices.yml is broken (reported without a traceback)."""


def timeout_from(environ: Mapping[str, str]) -> float:
    """Seconds to wait for the action server: ACTION_TIMEOUT, or the default."""
    raw = environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= MAX_TIMEOUT:
        raise FaultConfigError(
            f"{TIMEOUT_VARIABLE}={raw!r} is not a number of seconds to wait for the action server: "
            f"give one above 0 and at most {MAX_TIMEOUT:g}, e.g. {TIMEOUT_VARIABLE}={DEFAULT_TIMEOUT:g}"
        )
    return seconds


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Install the fault handling once; later calls change nothing."""
    if getattr(RemoteAction.run, _PATCHED, False):
        return
    timeout = timeout_from(environ)
    try:
        notices.load()  # now: a broken bot/notices.yml stops the server at start-up, not at the first fault
    except TextFileError as error:
        raise FaultConfigError(str(error)) from None
    RemoteAction.run = _bounded(RemoteAction.run, timeout)  # type: ignore[method-assign]
    MessageProcessor._run_action = _apologising(MessageProcessor._run_action)  # type: ignore[method-assign]
    # RemoteAction logs its own error line for a refused connection; ours says the same and more.
    logging.getLogger("rasa.core.actions.action").addFilter(_drop_rasas_connection_error)
    logger.info("custom actions are given %g s; if the action server fails, users get an apology", timeout)


def _bounded(run: RunAction, timeout: float) -> RunAction:
    """RemoteAction.run that gives up after `timeout` and raises ActionServerFault for every failure."""

    @functools.wraps(run)
    async def bounded_run(self: RemoteAction, output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                          tracker: DialogueStateTracker, domain: Domain) -> list[Event]:
        try:
            events: list[Event] = await asyncio.wait_for(run(self, output_channel, nlg, tracker, domain), timeout)
            return events
        except ActionExecutionRejection:
            raise  # the action declined to run (a form's validation, say): Rasa's normal flow
        except asyncio.TimeoutError:
            reason = f"no reply within {timeout:g} s"
        except (RasaException, aiohttp.ClientError) as error:
            reason = why(error)
        except ValidationError as error:
            reason = f"its reply is malformed ({error.message.split('. Failed to validate')[0]})"
        except Exception:
            logger.exception("custom action '%s' failed on this side, not in the action server", self.name())
            reason = "an error on this side (traceback above)"
        where = self.action_endpoint.url if self.action_endpoint else "no action endpoint configured"
        raise ActionServerFault(f"custom action '{self.name()}' failed: {reason} [{where}]")

    setattr(bounded_run, _PATCHED, True)
    return bounded_run


def why(error: BaseException) -> str:
    """A short reason for a failed action-server call, from the error Rasa raised and its cause."""
    cause = error.__cause__ or error.__context__ or error
    if isinstance(cause, ClientResponseError):
        return f"the action server answered HTTP {cause.status}"
    if isinstance(cause, aiohttp.ClientConnectorError):
        return f"could not connect ({cause.os_error.strerror or cause.os_error})"
    if isinstance(cause, aiohttp.ServerDisconnectedError):
        return "the action server closed the connection without a reply"
    if isinstance(cause, aiohttp.ClientError):
        return f"{type(cause).__name__}: {cause}"
    return str(error)


class _Watched:
    """Stands in for the action the processor runs, noting an ActionServerFault raised anywhere in it.

    A form's validation or its next question runs as a custom action inside the form's own run,
    so the fault is caught around the action the processor chose, not only around RemoteAction.
    """

    def __init__(self, action: Action) -> None:
        self._action = action
        self.fault: ActionServerFault | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._action, name)

    async def run(self, output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                  tracker: DialogueStateTracker, domain: Domain) -> list[Event]:
        try:
            events: list[Event] = await self._action.run(output_channel, nlg, tracker, domain)
            return events
        except ActionServerFault as fault:
            self.fault = fault
            return []


def _apologising(run_action: RunAction) -> RunAction:
    """MessageProcessor._run_action that, after an action-server fault, undoes the turn, apologises and ends it."""

    @functools.wraps(run_action)
    async def run_action_or_apologise(self: MessageProcessor, action: Action, tracker: DialogueStateTracker,
                                      output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                                      prediction: PolicyPrediction) -> bool:
        events_before = len(tracker.events)
        watched = _Watched(action)
        predict_another: bool = await run_action(self, watched, tracker, output_channel, nlg, prediction)
        if watched.fault is None:
            return predict_another
        turn_start = user_turn_start(tracker)
        unanswered = undo(tracker, since=events_before if turn_start is None else turn_start)
        logger.warning("conversation %s: %s; apologised and undid the %s", tracker.sender_id, watched.fault,
                       "action" if turn_start is None else "turn")
        apology = BotUttered(notices.action_server_down(), metadata={"unanswered_message": unanswered} if unanswered else {})
        await self.execute_side_effects([apology], tracker, output_channel)
        tracker.update(apology, self.domain)
        return False  # stop predicting: nothing else this turn would work either

    return run_action_or_apologise


def user_turn_start(tracker: DialogueStateTracker) -> int | None:
    """Where in the events the turn now running began with a user message; None if it did not (an API call)."""
    for index in range(len(tracker.events) - 1, -1, -1):
        event = tracker.events[index]
        if isinstance(event, UserUttered):
            return index
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            return None
    return None


def undo(tracker: DialogueStateTracker, *, since: int) -> str | None:
    """Drop the events from index `since` on and rebuild the tracker's state from those before.

    Rasa's UserUtteranceReverted cannot do this inside a form: the tracker folds a form's turns
    together, so a revert can undo far more than one turn. Nothing of the running turn has been
    saved yet (Rasa saves the tracker when the turn ends), so dropping its events is safe. What the
    bot said during the turn stays in the history (bot messages do not change the dialogue state);
    the user's text is returned, for the record.
    """
    dropped = [tracker.events.pop() for _ in range(len(tracker.events) - since)][::-1]
    tracker._reset()
    tracker.replay_events()
    for event in dropped:
        if isinstance(event, BotUttered):
            tracker.update(event)
    user = next((event for event in dropped if isinstance(event, UserUttered)), None)
    return user.text if user is not None else None


def _drop_rasas_connection_error(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Failed to run custom action")
