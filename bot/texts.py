"""Reading the files that hold what the core says itself (bot/phrases.yml, bot/notices.yml).

Each entry is a template in str.format syntax ("Same for {role}"). Loading checks that every entry
the code needs is there, is a non-empty string, and uses only the placeholders the code fills, so
a typo in a data file stops start-up with the file and key named instead of failing mid-conversation.
"""
from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class TextFileError(ValueError):
    """A text file is missing, malformed or lacks an entry; the message names the file and the key."""


@dataclass(frozen=True)
class Template:
    text: str

    def fill(self, **values: object) -> str:
        return self.text.format(**values)


def read_mapping(path: Path) -> dict[str, Any]:
    """The file's top-level mapping; a missing file, bad YAML or another shape is a TextFileError."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TextFileError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise TextFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise TextFileError(f"{path}: the top level must be a mapping of keys to texts")
    return raw


def section(raw: Mapping[str, Any], key: str, *, source: str) -> dict[str, Any]:
    """The mapping under `key` (e.g. `buttons:`), or a TextFileError naming it."""
    value = raw.get(key)
    if not isinstance(value, dict):
        raise TextFileError(f"{source}: '{key}' is missing or not a mapping")
    return value


def template(raw: Mapping[str, Any], key: str, *, source: str, placeholders: Collection[str] = ()) -> Template:
    """The text under `key`, checked to be a non-empty string using only these {placeholders}."""
    if key not in raw:
        raise TextFileError(f"{source}: '{key}' is missing")
    return parse_template(raw[key], where=f"{source}: '{key}'", placeholders=placeholders)


def parse_template(value: Any, *, where: str, placeholders: Collection[str] = ()) -> Template:
    """`value` as a Template; `where` names the file and key in the error message."""
    if not isinstance(value, str) or not value.strip():
        raise TextFileError(f"{where}: must be a non-empty string")
    try:
        used = frozenset(name for _, name, _, _ in string.Formatter().parse(value) if name is not None)
    except ValueError as exc:
        raise TextFileError(f"{where}: {exc} (write {{{{ and }}}} for a literal brace)") from None
    unknown = sorted(used - set(placeholders))
    if unknown:
        allowed = ", ".join(f"{{{p}}}" for p in sorted(placeholders)) or "none"
        raise TextFileError(f"{where}: unknown placeholder {', '.join(f'{{{u}}}' for u in unknown)} (allowed: {allowed})")
    return Template(value)
