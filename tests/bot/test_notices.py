"""The server's own notes: read from bot/notices.yml, worded exactly as users have always seen them."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import notices
from bot.texts import TextFileError

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


def test_the_notices_file_loads_with_the_wording_users_see() -> None:
    loaded = notices.load()
    assert loaded.something_went_wrong == notices.something_went_wrong() == APOLOGY
    assert notices.action_server_down() == (
        "Sorry, I can't answer right now: part of me isn't responding. "
        "Please send your message again in a moment; nothing you told me so far is lost."
    )
    assert notices.message_too_long(12345) == (
        "Sorry, that message is too long for me (12,345 characters). Please keep it under "
        "2,000 characters, for example by asking one question at a time."
    )
    assert notices.chose(user="<@U1>", choice="*AI Engineer*") == "<@U1> chose *AI Engineer*"


def test_it_is_read_once() -> None:
    assert notices.load() is notices.load()


def test_importing_it_reads_no_file() -> None:
    code = "import bot.notices as n; print(n._load.cache_info().currsize)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "0"


def write_without(tmp_path: Path, key: str) -> Path:
    raw = yaml.safe_load(notices.DEFAULT_PATH.read_text(encoding="utf-8"))
    del raw[key]
    path = tmp_path / "notices.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("key", ["something_went_wrong", "action_server_down", "message_too_long", "chose"])
def test_a_missing_notice_is_named_with_its_file(tmp_path: Path, key: str) -> None:
    path = write_without(tmp_path, key)
    with pytest.raises(TextFileError, match=f"^{re.escape(str(path))}: '{key}' is missing$"):
        notices.load(path)


def test_a_placeholder_the_code_does_not_fill_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notices.yml"
    raw = yaml.safe_load(notices.DEFAULT_PATH.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**raw, "message_too_long": "Too long: {size} characters"}), encoding="utf-8")
    with pytest.raises(TextFileError, match=r"'message_too_long': unknown placeholder \{size\} \(allowed: \{length\}, \{limit\}\)"):
        notices.load(path)


def test_an_empty_notice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notices.yml"
    raw = yaml.safe_load(notices.DEFAULT_PATH.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**raw, "something_went_wrong": "  "}), encoding="utf-8")
    with pytest.raises(TextFileError, match="'something_went_wrong': must be a non-empty string"):
        notices.load(path)
