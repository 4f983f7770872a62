"""The loader of the core's text files: a broken file is reported with its name and the key at fault."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.texts import TextFileError, parse_template, read_mapping, section, template


def test_a_template_fills_its_placeholders() -> None:
    assert template({"k": "Same for {role}"}, "k", source="f.yml", placeholders=("role",)).fill(role="X") == "Same for X"


def test_a_format_spec_is_allowed() -> None:
    assert parse_template("{n:,} characters", where="f.yml: 'k'", placeholders=("n",)).fill(n=2000) == "2,000 characters"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Same for {name}", r"f.yml: 'k': unknown placeholder \{name\} \(allowed: \{role\}\)"),
        ("Same for {}", r"f.yml: 'k': unknown placeholder \{\} \(allowed: \{role\}\)"),
        ("Same for {role.name}", r"unknown placeholder \{role.name\}"),
        ("Same for {role", r"f.yml: 'k': .*literal brace"),
        ("", r"f.yml: 'k': must be a non-empty string"),
        (["a list"], r"f.yml: 'k': must be a non-empty string"),
    ],
)
def test_a_bad_template_is_refused_naming_file_and_key(text: object, message: str) -> None:
    with pytest.raises(TextFileError, match=message):
        template({"k": text}, "k", source="f.yml", placeholders=("role",))


def test_a_missing_key_or_section_is_named() -> None:
    with pytest.raises(TextFileError, match="^f.yml: buttons: 'k' is missing$"):
        template({}, "k", source="f.yml: buttons")
    with pytest.raises(TextFileError, match="^f.yml: 'buttons' is missing or not a mapping$"):
        section({"buttons": "oops"}, "buttons", source="f.yml")


def test_a_missing_or_malformed_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TextFileError, match="nowhere.yml: file not found"):
        read_mapping(tmp_path / "nowhere.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(TextFileError, match="bad.yml: not valid YAML"):
        read_mapping(bad)
    listed = tmp_path / "list.yml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(TextFileError, match="list.yml: the top level must be a mapping"):
        read_mapping(listed)
