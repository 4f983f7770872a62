"""The core's own phrasing: read from bot/phrases.yml, checked at load, and never written again in code."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import notices, phrases
from bot.texts import Template, TextFileError

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("bot", "actions", "channels", "components", "server")


def raw_phrases() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(phrases.DEFAULT_PATH.read_text(encoding="utf-8"))
    return loaded


def load_changed(tmp_path: Path, change: dict[str, Any]) -> phrases.Phrases:
    raw = raw_phrases()
    for section, entries in change.items():
        for key, value in entries.items():
            if value is None:
                del raw[section][key]
            else:
                raw[section][key] = value
    path = tmp_path / "phrases.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return phrases.load(path)


def test_the_phrases_file_loads_and_fills_its_blanks() -> None:
    say = phrases.load()
    assert say is phrases.load()
    assert say.button("same_for_role", role="AI Engineer") == "Same for AI Engineer"
    assert say.button("tell_me_more") == say.guess("ask_more", role=None, aspect=None) == "Tell me more"
    assert say.line("tip_which_matters", toward="goal", against="education") == (
        "which matters more to you: your goal, or your education")
    assert say.all_of(["a", "b", "c"]) == "a, b and c" and say.all_of(["a"]) == "a" and say.all_of([]) == ""
    assert say.examples(["x", "y"]) == "“x” or “y”"


def test_a_guess_is_worded_by_what_the_message_named() -> None:
    label = phrases.Label(neither=Template("a question"), role=Template("about {role}"), aspect=Template("{aspect} of each"),
                          role_and_aspect=Template("{aspect} of {role}"))
    assert label.fill(role="R", aspect="skills") == "Skills of R"
    assert label.fill(role=None, aspect="skills") == "Skills of each"
    assert label.fill(role="R", aspect=None) == "About R"
    assert label.fill(role=None, aspect=None) == "A question"
    only_role = phrases.Label(neither=Template("compare"), role=Template("same for {role}"))
    assert only_role.fill(role=None, aspect="skills") == "Compare"
    assert phrases.load().guess("insult", role=None, aspect=None) is None


@pytest.mark.parametrize(("section", "key"), [("buttons", "something_else"), ("result", "reason"), ("words", "and")])
def test_a_missing_phrase_is_named_with_its_file(tmp_path: Path, section: str, key: str) -> None:
    with pytest.raises(TextFileError, match=f"^{re.escape(str(tmp_path / 'phrases.yml'))}: {section}: '{key}' is missing$"):
        load_changed(tmp_path, {section: {key: None}})


def test_a_placeholder_the_code_does_not_fill_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TextFileError, match=r"buttons: 'more_about_role': unknown placeholder \{name\} \(allowed: \{role\}\)"):
        load_changed(tmp_path, {"buttons": {"more_about_role": "More about {name}"}})
    with pytest.raises(TextFileError, match=r"guesses: 'ask_followup', 'neither': unknown placeholder \{role\} \(allowed: none\)"):
        load_changed(tmp_path, {"guesses": {"ask_followup": {"role": "Same about {role}", "neither": "Same about {role}"}}})


def test_a_guess_needs_its_plain_title_and_known_variants(tmp_path: Path) -> None:
    with pytest.raises(TextFileError, match="guesses: 'ask_aspect': 'neither' is missing"):
        load_changed(tmp_path, {"guesses": {"ask_aspect": {"role": "A question about {role}"}}})
    with pytest.raises(TextFileError, match="guesses: 'ask_aspect': unknown variant 'topic'"):
        load_changed(tmp_path, {"guesses": {"ask_aspect": {"topic": "{aspect}", "neither": "A question"}}})
    with pytest.raises(TextFileError, match="guesses: 'affirm': must be a non-empty string"):
        load_changed(tmp_path, {"guesses": {"affirm": True}})  # an unquoted Yes in YAML


def string_constants(path: Path) -> list[str]:
    """The string literals of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def fixed_words(text: str) -> list[str]:
    """The stretches of at least three words between a template's placeholders."""
    parts = [literal.strip(" .,:;?!") for literal, _, _, _ in string.Formatter().parse(text)]
    return [part for part in parts if len(part.split()) >= 3]


def test_no_code_writes_the_phrasing_again() -> None:
    say, note = phrases.load(), notices.load()
    texts = [t.text for t in (*say.buttons.values(), *say.result.values())]
    texts += [v.text for label in say.guesses.values() for v in vars(label).values() if v is not None]
    texts += [note.action_server_down, note.something_went_wrong, note.message_too_long.text]
    fragments = {fragment for text in texts for fragment in fixed_words(text)}
    before = 'SORRY = "Sorry, something went wrong on my side. Please try again in a moment."'  # what channels/slack.py had
    assert any(fragment in before for fragment in fragments)  # the check sees what it looks for
    hits = sorted(
        f"{path.relative_to(ROOT)}: {fragment!r}"
        for directory in CODE_DIRS
        for path in (ROOT / directory).rglob("*.py")
        for constant in string_constants(path)
        for fragment in fragments
        if fragment in constant
    )
    assert not hits, f"this phrasing belongs in bot/phrases.yml or bot/notices.yml only: {hits}"
