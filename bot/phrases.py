"""The phrasing the core builds itself: button titles, the fallback's guesses, the result's lines.

The words live in bot/phrases.yml; this module reads and checks them once (on first use), and
fills their blanks. Fixed replies stay Rasa responses in domain.yml.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from bot.texts import Template, TextFileError, parse_template, read_mapping, section, template

DEFAULT_PATH = Path(__file__).with_name("phrases.yml")

ButtonKey = Literal[
    "tell_me_more", "same_for_role", "compare_aspect", "compare_roles", "role_aspect", "both_side_by_side",
    "what_does_role_do", "skills_each_role_needs", "which_role_suits_me", "more_about_role", "compare_both_roles",
    "start_over", "something_else",
]
ResultKey = Literal[
    "reason", "also_lines_up", "tip_clearer_answers", "tip_which_matters", "toward_unnamed", "against_unnamed",
    "already_done", "same_answer", "said_before", "score",
]

#: The placeholders each entry may use (entries not named here use none).
BUTTON_PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {
    "same_for_role": ("role",), "compare_aspect": ("aspect",), "role_aspect": ("role", "aspect"),
    "what_does_role_do": ("role",), "more_about_role": ("role",),
}
RESULT_PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {
    "reason": ("topic", "said", "criterion"), "also_lines_up": ("topics",), "tip_clearer_answers": ("topics",),
    "tip_which_matters": ("toward", "against"), "already_done": ("done",), "score": ("bar", "percent", "role"),
}
#: A guess's variants, most specific first, with the placeholders each may use.
GUESS_VARIANTS: Mapping[str, tuple[str, ...]] = {
    "role_and_aspect": ("role", "aspect"), "aspect": ("aspect",), "role": ("role",), "neither": (),
}


@dataclass(frozen=True)
class Label:
    """The title of a guess's button, worded by what the message named (see phrases.yml)."""

    neither: Template
    role: Template | None = None
    aspect: Template | None = None
    role_and_aspect: Template | None = None

    def fill(self, *, role: str | None, aspect: str | None) -> str:
        if role and aspect and self.role_and_aspect is not None:
            text = self.role_and_aspect.fill(role=role, aspect=aspect)
        elif aspect and self.aspect is not None:
            text = self.aspect.fill(aspect=aspect)
        elif role and self.role is not None:
            text = self.role.fill(role=role)
        else:
            text = self.neither.fill()
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Phrases:
    buttons: Mapping[str, Template]
    guesses: Mapping[str, Label]
    result: Mapping[str, Template]
    and_: str
    or_: str
    quote: Template

    def button(self, key: ButtonKey, **values: str) -> str:
        return self.buttons[key].fill(**values)

    def line(self, key: ResultKey, **values: str) -> str:
        return self.result[key].fill(**values)

    def guess(self, intent: str, *, role: str | None, aspect: str | None) -> str | None:
        """The guess button's title for `intent`, or None if that intent is never offered."""
        label = self.guesses.get(intent)
        return label.fill(role=role, aspect=aspect) if label is not None else None

    def all_of(self, items: Sequence[str]) -> str:
        """"a, b and c"."""
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self.and_} " + items[-1]

    def examples(self, items: Sequence[str]) -> str:
        """"“a” or “b” or “c”": things the user could say."""
        return f" {self.or_} ".join(self.quoted(item) for item in items)

    def quoted(self, text: str) -> str:
        return self.quote.fill(text=text)


def load(path: Path = DEFAULT_PATH) -> Phrases:
    """Read and check bot/phrases.yml (once: later calls return the same Phrases)."""
    return _load(Path(path))


@lru_cache(maxsize=4)
def _load(path: Path) -> Phrases:
    return parse(read_mapping(path), source=str(path))


def parse(raw: dict[str, Any], *, source: str) -> Phrases:
    """Phrases from the parsed file, raising TextFileError naming the file and the key at fault."""
    buttons, result, words = (section(raw, key, source=source) for key in ("buttons", "result", "words"))
    return Phrases(
        buttons={key: template(buttons, key, source=f"{source}: buttons", placeholders=BUTTON_PLACEHOLDERS.get(key, ()))
                 for key in get_args(ButtonKey)},
        guesses={str(intent): _label(spec, where=f"{source}: guesses: '{intent}'")
                 for intent, spec in section(raw, "guesses", source=source).items()},
        result={key: template(result, key, source=f"{source}: result", placeholders=RESULT_PLACEHOLDERS.get(key, ()))
                for key in get_args(ResultKey)},
        and_=template(words, "and", source=f"{source}: words").text,
        or_=template(words, "or", source=f"{source}: words").text,
        quote=template(words, "quote", source=f"{source}: words", placeholders=("text",)),
    )


def _label(spec: Any, *, where: str) -> Label:
    if not isinstance(spec, dict):
        return Label(neither=parse_template(spec, where=where))
    unknown = sorted(set(spec) - set(GUESS_VARIANTS))
    if unknown:
        raise TextFileError(f"{where}: unknown variant {', '.join(map(repr, unknown))} "
                            f"(one of {', '.join(GUESS_VARIANTS)})")
    if "neither" not in spec:
        raise TextFileError(f"{where}: 'neither' is missing (the title when the message named no role or topic)")
    variants = {name: parse_template(text, where=f"{where}, '{name}'", placeholders=GUESS_VARIANTS[name])
                for name, text in spec.items()}
    return Label(**variants)
