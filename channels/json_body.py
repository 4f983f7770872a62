"""Read JSON from a request without letting its shape crash the server.

Python's json module turns JSON nested 30,000 deep into a RecursionError, and a number of 5,000
digits into a ValueError (Python's limit on converting long digit strings to int); neither is a
JSONDecodeError, so code that caught only that answered such a request with a 500. `loads` refuses
both with a BadRequest saying which limit was passed: nesting is measured before parsing, numbers
while parsing. The limits are far above anything Rasa, Slack or the widget send.
"""
from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # arrays and objects inside one another; what Slack, Rasa and the widget send nests a few levels
MAX_NUMBER_CHARS = 100  # python-engineio refuses integers over 100 digits too

# A JSON string (escapes included) or one bracket: brackets inside strings do not count.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class BadRequest(ValueError):
    """The request cannot be processed; the message says why, for the client."""


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """How deep arrays and objects nest in `text`, or the first depth above `stop_above`.

    For text that is not JSON the figure is an upper bound of how deep a parser would go.
    """
    deepest = level = 0
    for token in _STRING_OR_BRACKET.finditer(text):
        bracket = token.group()
        if bracket == "[" or bracket == "{":
            level += 1
            deepest = max(deepest, level)
            if stop_above is not None and level > stop_above:
                break
        elif bracket == "]" or bracket == "}":
            level -= 1
    return deepest


def _bounded(convert: type[int] | type[float]) -> Any:
    def parse(literal: str) -> int | float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise BadRequest(f"the JSON has a number longer than {MAX_NUMBER_CHARS} characters")
        return convert(literal)

    return parse


_parse_int, _parse_float = _bounded(int), _bounded(float)


def loads(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads(text)`, or BadRequest when it nests deeper than `max_depth` or has an over-long number.

    Malformed JSON still raises json.JSONDecodeError, as json.loads does.
    """
    if nesting_depth(text, stop_above=max_depth) > max_depth:
        raise BadRequest(f"the JSON is nested more than {max_depth} levels deep")
    return json.loads(text, parse_int=_parse_int, parse_float=_parse_float)
