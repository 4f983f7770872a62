"""The cached action-reply validator accepts and rejects exactly what Rasa's own check does."""
from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from server.patches import speedups

VALID: list[dict[str, Any]] = [
    {"events": [{"event": "slot", "name": "role", "value": "x"}], "responses": [{"text": "hi"}]},
    {"events": [], "responses": []},
    {},
]
INVALID: list[dict[str, Any]] = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [1, 2]},
]


@pytest.mark.parametrize("result", VALID)
def test_accepts_what_rasa_accepts(result: dict[str, Any]) -> None:
    validate(result, RemoteAction.action_response_format_spec())
    assert speedups._validate_action_result(RemoteAction("a", None), result) is True


@pytest.mark.parametrize("result", INVALID)
def test_rejects_what_rasa_rejects_with_the_same_hint(result: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        speedups._validate_action_result(RemoteAction("a", None), result)


def test_apply_installs_it() -> None:
    speedups.apply()
    assert RemoteAction._validate_action_result is speedups._validate_action_result
