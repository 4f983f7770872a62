"""A fix for a hot spot in Rasa 3.6's custom-action path.

Rasa checks every action-server reply with `jsonschema.validate(result, spec)`, which first
validates the *schema itself* against the JSON-Schema meta-schema, on every call: most of a
turn's time. Checking replies with a validator built once from the same spec skips that, and
accepts and rejects exactly the same replies, with the same error message (measured: see docs/performance.md,
Figures).

Installed by `server.patches.install()`; `apply()` is idempotent.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from server.patches.target import Target

TARGETS = (Target(RemoteAction, "_validate_action_result", ("self", "result"), __name__),)


@lru_cache(maxsize=1)
def _validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    return validators.validator_for(spec)(spec)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


def apply(environ: Mapping[str, str] = os.environ) -> None:
    """Replace Rasa's check of action-server replies by the compiled one (the same function each time)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
