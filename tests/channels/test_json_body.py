"""Reading JSON from a request: what is too deep or has too long a number is refused before it can crash anything."""
from __future__ import annotations

import json

import pytest

from channels.json_body import MAX_DEPTH, MAX_NUMBER_CHARS, BadRequest, loads, nesting_depth


def test_ordinary_json_reads_as_json_loads_reads_it() -> None:
    text = json.dumps({"sender": "me", "message": "what do AI engineers do?", "metadata": {"a": [1, 2.5, None, True]}})
    assert loads(text) == json.loads(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 30_000])
def test_nesting_deeper_than_the_limit_is_refused(depth: int) -> None:
    with pytest.raises(BadRequest, match=f"nested more than {MAX_DEPTH} levels deep"):
        loads("[" * depth + "]" * depth)


def test_nesting_up_to_the_limit_is_read() -> None:
    assert loads('{"a":' * (MAX_DEPTH - 1) + "[]" + "}" * (MAX_DEPTH - 1)) is not None


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"message": "[" * 5_000 + '\\"{' * 100, "quote": 'a "[[[" b'})
    assert nesting_depth(text) == 1
    assert loads(text)["message"].startswith("[[[")


def test_unclosed_strings_count_their_brackets() -> None:
    """Not JSON anyway: counting too much only means a different reason for refusing it."""
    assert nesting_depth('"' + "[" * 50) == 50


@pytest.mark.parametrize("number", ["1" * 5_000, "-" + "9" * (MAX_NUMBER_CHARS + 1), "0." + "1" * 200, "1e" + "9" * 5_000])
def test_numbers_longer_than_the_limit_are_refused(number: str) -> None:
    with pytest.raises(BadRequest, match=f"number longer than {MAX_NUMBER_CHARS} characters"):
        loads(f'{{"n": {number}}}')


def test_long_numbers_in_strings_are_text() -> None:
    assert loads(json.dumps({"n": "1" * 5_000})) == {"n": "1" * 5_000}


def test_malformed_json_still_raises_what_json_raises() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads("{not json")


def test_a_deeper_limit_may_be_asked_for() -> None:
    assert loads("[" * 40 + "]" * 40, max_depth=64)
