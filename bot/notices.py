"""What the assistant says when it cannot take a message the usual way.

The dialogue's own phrasing lives in domain.yml. These few notes are sent by the Rasa server
itself (server/patches/, channels/), before or instead of the dialogue, so they must not depend
on the trained model's domain: a model trained before a wording change still says the same thing.
Their wording lives in bot/notices.yml, read once, on first use or by `load()` at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.texts import Template, read_mapping, template

DEFAULT_PATH = Path(__file__).with_name("notices.yml")

MAX_MESSAGE_CHARS = 2000


@dataclass(frozen=True)
class Notices:
    action_server_down: str
    something_went_wrong: str
    message_too_long: Template
    chose: Template


def load(path: Path = DEFAULT_PATH) -> Notices:
    """Read and check bot/notices.yml (once: later calls return the same Notices)."""
    return _load(Path(path))


@lru_cache(maxsize=4)
def _load(path: Path) -> Notices:
    return parse(read_mapping(path), source=str(path))


def parse(raw: dict[str, Any], *, source: str) -> Notices:
    """Notices from the parsed file, raising TextFileError naming the file and the key at fault."""
    return Notices(
        action_server_down=template(raw, "action_server_down", source=source).text,
        something_went_wrong=template(raw, "something_went_wrong", source=source).text,
        message_too_long=template(raw, "message_too_long", source=source, placeholders=("length", "limit")),
        chose=template(raw, "chose", source=source, placeholders=("user", "choice")),
    )


def action_server_down() -> str:
    """The apology when the action server is down, refusing or hanging."""
    return load().action_server_down


def something_went_wrong() -> str:
    """The one apology every channel sends when handling a message failed."""
    return load().something_went_wrong


def message_too_long(length: int) -> str:
    """The polite note for a message over MAX_MESSAGE_CHARS characters."""
    return load().message_too_long.fill(length=length, limit=MAX_MESSAGE_CHARS)


def chose(*, user: str, choice: str) -> str:
    """Shown in place of clicked buttons: who chose which (both already formatted for the channel)."""
    return load().chose.fill(user=user, choice=choice)
