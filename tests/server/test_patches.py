"""server.patches: checked against the installed Rasa before anything is replaced, and installed once."""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
import rasa
import rasa.core.run
import rasa.server
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import LockStore
from rasa.core.processor import MessageProcessor

from server import patches, rasa_server
from server.patches import lock_waits, root_route, speedups
from server.patches.target import Target


class Old:
    def handle_message(self, message: Any, extra: Any) -> None:
        """Stands for a Rasa function whose parameters changed since the patch was written."""


def wrappers(function: Callable[..., Any]) -> int:
    """How many functools.wraps layers sit on top of Rasa's own function."""
    layers = 0
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
        layers += 1
    return layers


def test_every_patch_matches_the_installed_rasa() -> None:
    targets = tuple(target for patch in patches.PATCHES for target in patch.TARGETS)
    assert {target.name for target in targets} == {
        "rasa.core.processor.MessageProcessor.handle_message",
        "rasa.core.processor.MessageProcessor._run_action",
        "rasa.core.actions.action.RemoteAction.run",
        "rasa.core.actions.action.RemoteAction._validate_action_result",
        "rasa.server.create_app",
        "rasa.core.run.configure_app",
        "rasa.server.add_root_route",
        "rasa.core.lock_store.LockStore.lock",
    }
    patches.check(targets, rasa_version=rasa.__version__)  # raises if any differs


def test_another_rasa_version_is_refused_naming_both() -> None:
    with pytest.raises(patches.PatchError, match=r"written for Rasa 3\.6\.21, but Rasa 3\.7\.0 is installed"):
        patches.check((), rasa_version="3.7.0")


def test_a_changed_signature_is_refused_naming_the_function_and_both_parameter_lists() -> None:
    target = Target(Old, "handle_message", ("self", "message"), "server.patches.example")
    with pytest.raises(patches.PatchError) as refused:
        patches.check((target,), rasa_version=patches.RASA_VERSION)
    assert str(refused.value) == ("tests.server.test_patches.Old.handle_message takes (self, message, extra), but the "
                                  "patch in server.patches.example was written for (self, message)")


def test_a_function_that_is_gone_is_refused() -> None:
    target = Target(Old, "run", ("self",), "server.patches.example")
    with pytest.raises(patches.PatchError, match=r"Old\.run is not in Rasa 3\.6\.21"):
        patches.check((target,), rasa_version=patches.RASA_VERSION)


def test_installing_twice_wraps_each_function_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAX_CONCURRENT_TURNS", raising=False)
    monkeypatch.delenv("ACTION_TIMEOUT", raising=False)
    patches.install()
    first = {name: getattr(owner, name) for owner, name in (
        (MessageProcessor, "handle_message"), (MessageProcessor, "_run_action"), (RemoteAction, "run"),
        (RemoteAction, "_validate_action_result"), (rasa.server, "create_app"), (rasa.core.run, "configure_app"))}
    patches.install()
    assert first["handle_message"] is MessageProcessor.handle_message
    assert wrappers(MessageProcessor.handle_message) == 2  # the message limit inside, admission outside
    assert wrappers(MessageProcessor._run_action) == 1
    assert wrappers(RemoteAction.run) == 1
    assert wrappers(rasa.server.create_app) == 1
    assert wrappers(rasa.core.run.configure_app) == 1
    assert RemoteAction._validate_action_result is speedups._validate_action_result
    assert rasa.server.add_root_route is root_route.add_root_route
    assert LockStore.lock is lock_waits.lock
    assert first == {"handle_message": MessageProcessor.handle_message, "_run_action": MessageProcessor._run_action,
                     "run": RemoteAction.run, "_validate_action_result": RemoteAction._validate_action_result,
                     "create_app": rasa.server.create_app, "configure_app": rasa.core.run.configure_app}
    # Rasa's own parameters are still what callers see through the wrappers.
    assert tuple(inspect.signature(MessageProcessor.handle_message).parameters) == ("self", "message")


def test_the_rasa_server_refuses_to_start_on_another_rasa(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(patches, "RASA_VERSION", "3.5.17")
    monkeypatch.delenv("RASA_API_ENABLED", raising=False)
    monkeypatch.delenv("RASA_CPUS", raising=False)
    started: list[str] = []
    monkeypatch.setattr("rasa.__main__.main", lambda: started.append("rasa"))
    assert rasa_server.main(["--port", "0"]) == 2
    assert started == []
    error = capsys.readouterr().err
    assert error.startswith(f"Rasa server not started: the patches in server/patches/ are written for Rasa 3.5.17, "
                            f"but Rasa {rasa.__version__} is installed")
    assert error.count("\n") == 1


def test_a_bad_patch_setting_is_refused_at_start_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ACTION_TIMEOUT", "soon")
    monkeypatch.delenv("RASA_API_ENABLED", raising=False)
    monkeypatch.delenv("RASA_CPUS", raising=False)
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run.__wrapped__ if hasattr(RemoteAction.run, "__wrapped__")
                        else RemoteAction.run)
    monkeypatch.setattr("rasa.__main__.main", lambda: pytest.fail("Rasa must not start"))
    assert rasa_server.main(["--port", "0"]) == 2
    assert capsys.readouterr().err.startswith("Rasa server not started: ACTION_TIMEOUT='soon' is not a number of seconds")
