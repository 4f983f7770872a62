"""Action server down, hanging or failing: an apology within 2 s, Rasa keeps running, the conversation goes on after.

The unit tests call Rasa's RemoteAction as patched by server/patches/faults.py against a port that
refuses, hangs or answers 500. The end-to-end tests take the action server of a real pair of
servers away mid-conversation, over REST and socket.io, then bring it back.
"""
from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.notices import action_server_down
from server.patches.faults import DEFAULT_TIMEOUT, ActionServerFault, FaultConfigError, _bounded, timeout_from
from tests.support.chat import RESEARCH_ANSWERS, asked, sender, text_of
from tests.support.logs import log_lines_from_now
from tests.support.outages import action_server_replaced_by, answering, answering_500, hanging
from tests.support.socket_chat import SocketChat
from tools.harness.servers import Servers, free_port

APOLOGY_WITHIN = 2.0  # seconds, what the issue asks for


# --- unit: one custom action call against a broken action server --------------------------------


def call_action(port: int, *, timeout: float = 0.5) -> list[Any]:
    action = RemoteAction("action_answer_role", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
    run = _bounded(getattr(RemoteAction.run, "__wrapped__", RemoteAction.run), timeout)  # Rasa's, bounded
    return asyncio.run(run(action, CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                           DialogueStateTracker("u", []), Domain.empty()))


def test_a_refused_connection_is_a_fault_named_in_one_line() -> None:
    with pytest.raises(ActionServerFault, match=r"custom action 'action_answer_role' failed: could not connect \(.+\) \[http"):
        call_action(free_port())


def test_a_hanging_action_server_is_given_up_on_after_the_timeout() -> None:
    port = free_port()
    with hanging(port):
        started = time.monotonic()
        with pytest.raises(ActionServerFault, match=r"no reply within 0.5 s"):
            call_action(port, timeout=0.5)
        assert time.monotonic() - started < 1.5


def test_an_error_reply_is_a_fault_with_its_status() -> None:
    port = free_port()
    with answering_500(port), pytest.raises(ActionServerFault, match=r"the action server answered HTTP 500"):
        call_action(port)


def test_a_rejection_is_not_a_fault() -> None:
    """A form validation's 400 ("rejected") is normal dialogue flow: Rasa tries another action."""
    port = free_port()
    with answering(port, 400, b'{"action_name": "action_answer_role", "error": "not now"}'), \
            pytest.raises(ActionExecutionRejection):
        call_action(port)


@pytest.mark.parametrize(("value", "seconds"), [(None, DEFAULT_TIMEOUT), ("", DEFAULT_TIMEOUT), ("0.8", 0.8), ("3", 3.0)])
def test_the_timeout_is_configurable(value: str | None, seconds: float) -> None:
    assert timeout_from({} if value is None else {"ACTION_TIMEOUT": value}) == seconds


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan", "301"])
def test_a_bad_timeout_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(FaultConfigError, match=f"ACTION_TIMEOUT='{value}' is not a number of seconds"):
        timeout_from({"ACTION_TIMEOUT": value})


# --- end to end: real servers, the action server taken away and brought back ----------------------

def timed_say(servers: Servers, user: str, text: str) -> tuple[list[dict[str, Any]], float]:
    started = time.monotonic()
    reply = servers.say(user, text)
    return reply, time.monotonic() - started


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.e2e
@pytest.mark.model
def test_action_server_down_mid_interview(api_servers: Servers) -> None:
    user = sender()
    assert asked(api_servers.say(user, "which role suits me?")) == "goal"
    assert asked(api_servers.say(user, RESEARCH_ANSWERS["goal"])) == "interest"

    with action_server_replaced_by(api_servers, "down"):
        reply, elapsed = timed_say(api_servers, user, RESEARCH_ANSWERS["interest"])
        assert text_of(reply) == action_server_down()
        assert elapsed < APOLOGY_WITHIN
        assert api_servers.rasa.poll() is None
        assert get_status(api_servers.rasa_url + "/") == 200

    # Back: the same answer is taken and the interview goes on from where it was, to the end.
    reply = api_servers.say(user, RESEARCH_ANSWERS["interest"])
    assert asked(reply) == "strength", text_of(reply)
    for _ in range(4):
        reply = api_servers.say(user, RESEARCH_ANSWERS[str(asked(reply))])
    assert "My recommendation: AI Research Scientist" in text_of(reply)


@pytest.mark.e2e
@pytest.mark.model
@pytest.mark.parametrize("kind", ["hanging", "answering_500"])
def test_action_server_hanging_or_failing(api_servers: Servers, kind: str) -> None:
    user = sender()
    with action_server_replaced_by(api_servers, kind):
        reply, elapsed = timed_say(api_servers, user, "what does an AI engineer do?")
        assert text_of(reply) == action_server_down()
        assert elapsed < APOLOGY_WITHIN
        reply, elapsed = timed_say(api_servers, user, "which role suits me?")  # a form's first question too
        assert text_of(reply) == action_server_down()
        assert elapsed < APOLOGY_WITHIN
    assert "AI Engineer" in text_of(api_servers.say(user, "what does an AI engineer do?"))
    assert asked(api_servers.say(user, "which role suits me?")) == "goal"


@pytest.mark.e2e
@pytest.mark.model
def test_the_log_has_one_line_per_fault_and_no_traceback(api_servers: Servers) -> None:
    user = sender()
    new_lines = log_lines_from_now(api_servers.log_dir / "rasa.log")
    with action_server_replaced_by(api_servers, "down"):
        api_servers.say(user, "what skills does an AI engineer need?")
    api_servers.say(user, "what skills does an AI engineer need?")
    log = new_lines()
    faults = [line for line in log if user in line]
    assert len(faults) == 1, log
    assert "custom action 'action_answer_role' failed: could not connect" in faults[0]
    assert "apologised and undid the turn" in faults[0]
    assert not any("Traceback" in line for line in log), log


@pytest.mark.e2e
@pytest.mark.model
def test_the_widget_gets_the_apology_too(api_servers: Servers) -> None:
    async def scenario() -> None:
        chat = await SocketChat.open(api_servers.rasa_url)
        try:
            with action_server_replaced_by(api_servers, "hanging"):
                started = time.monotonic()
                await chat.send({"message": "what does an AI engineer do?", "session_id": chat.session_id})
                first = await asyncio.wait_for(chat.inbox.get(), 30)
                assert time.monotonic() - started < APOLOGY_WITHIN
                assert first.get("text") == action_server_down()
                assert await chat.received_within(0.5) == []
            messages = await chat.say("what does an AI engineer do?", until=lambda m: "AI Engineer" in text_of(m))
            assert action_server_down() not in text_of(messages)
        finally:
            await chat.close()

    asyncio.run(scenario())


@pytest.mark.e2e
@pytest.mark.model
def test_readiness_reports_the_action_server(api_servers: Servers) -> None:
    ready = api_servers.rasa_url + "/webhooks/rest/ready"
    assert readiness(ready) == (200, {"ready": True, "model": "loaded", "action_server": "ok"})
    with action_server_replaced_by(api_servers, "down"):
        assert readiness(ready) == (503, {"ready": False, "model": "loaded", "action_server": "unreachable"})
    assert readiness(ready)[0] == 200


def readiness(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), json.loads(error.read())
