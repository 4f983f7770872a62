"""Words people use for roles and aspects, with tolerance for typos: a build-time module.

tools/build_spacy.py uses the lexicon to turn the synonyms of the knowledge base into the
patterns of the spaCy entity ruler; each word of a pattern accepts its one-letter typos, the
last word its plurals too. At run time the ruler does the matching and
components/ruler_entities.py reports the pattern's id; bot/language.py borrows edits1.
"""
from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.knowledge import KnowledgeBase, normalise

#: Words shorter than this are matched exactly: a one-letter slip in "ai" or "mle" is another word.
MIN_FUZZY_LENGTH = 5

ROLE = "role"
ASPECT = "aspect"
RELATED = "related_role"

Tokenize = Callable[[str], list[str]]
#: is_word(variant, word): is `variant` a real word in its own right, rather than a typo of `word`?
IsWord = Callable[[str, str], bool]


def simple_tokens(text: str) -> list[str]:
    """Whitespace tokens with edge punctuation removed; good enough for the short synonyms."""
    return [t for t in (normalise(w) for w in text.split()) if t]


def edits1(word: str) -> set[str]:
    """All strings one deletion, transposition, substitution or insertion away from word."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return deletes | transposes | replaces | inserts


def inflections(word: str) -> set[str]:
    forms = {word}
    if re.fullmatch(r"[a-z]+", word):
        forms |= {word + "s", word + "es"}
        if word.endswith("y"):
            forms.add(word[:-1] + "ies")
    return forms


@dataclass
class Lexicon:
    """Phrases for each (label, id), and the typos accepted for the words in them."""

    phrases: dict[tuple[str, str], set[str]]
    known_words: frozenset[str] = frozenset()
    is_word: IsWord | None = None
    _corrections: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase, *, known_words: Iterable[str] = (), is_word: IsWord | None = None) -> Lexicon:
        phrases: dict[tuple[str, str], set[str]] = {}
        for role in kb.roles:
            phrases[(ROLE, role.id)] = {normalise(s) for s in (role.name, role.plural, *role.synonyms)}
        for aspect in kb.aspects.values():
            phrases[(ASPECT, aspect.id)] = {normalise(s) for s in aspect.synonyms}
        for topic in kb.uncovered.values():
            phrases[(ASPECT, topic.id)] = {normalise(s) for s in topic.synonyms}
        for job in kb.related.values():
            phrases[(RELATED, job.id)] = {normalise(s) for s in (job.name, *job.synonyms)}
        lexicon = cls(phrases=phrases, known_words=frozenset(w.lower() for w in known_words), is_word=is_word)
        lexicon._build_corrections()
        return lexicon

    def _vocabulary(self) -> dict[str, str]:
        """Every word form of every phrase, mapped to the word it was inflected from."""
        words: dict[str, str] = {}
        for texts in self.phrases.values():
            for text in texts:
                for token in simple_tokens(text):
                    for form in inflections(token):
                        words.setdefault(form, token)
        return words

    def _build_corrections(self) -> None:
        vocabulary = self._vocabulary()
        corrections: dict[str, str] = {w: w for w in vocabulary}
        ambiguous: set[str] = set()
        for word in sorted(vocabulary):
            if len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
                continue
            for variant in edits1(word):
                if variant in vocabulary or variant in self.known_words:
                    continue
                if self.is_word is not None and self.is_word(variant, word):
                    continue
                current = corrections.get(variant)
                if current is None:
                    corrections[variant] = word
                elif not _same_family(vocabulary[current], vocabulary[word]) and not _same_family(current, word):
                    ambiguous.add(variant)
        for variant in ambiguous:
            del corrections[variant]
        self._corrections = corrections

    def spellings(self, word: str) -> set[str]:
        """Every spelling the lexicon accepts for one vocabulary word (itself included)."""
        targets = inflections(word)
        return {v for v, w in self._corrections.items() if w in targets} | targets

    def patterns(self, tokenize: Tokenize) -> list[dict[str, Any]]:
        """spaCy entity-ruler patterns: one per phrase, each token matched with its typos."""
        cache: dict[str, list[str]] = {}
        out: list[dict[str, Any]] = []
        for (label, ident), texts in sorted(self.phrases.items()):
            for text in sorted(texts):
                tokens = tokenize(text)
                if not tokens:
                    continue
                pattern: list[dict[str, Any]] = []
                for index, token in enumerate(tokens):
                    last = index == len(tokens) - 1
                    key = f"{token}|{last}"
                    if key not in cache:
                        spelled = self.spellings(token) if last else self._spellings_exact_form(token)
                        cache[key] = sorted(spelled)
                    forms = cache[key]
                    pattern.append({"LOWER": {"IN": forms}} if len(forms) > 1 else {"LOWER": token})
                out.append({"label": label, "id": ident, "pattern": pattern})
        return out

    def _spellings_exact_form(self, word: str) -> set[str]:
        return {v for v, w in self._corrections.items() if w == word} | {word}


def _same_family(a: str, b: str) -> bool:
    """True for inflections of one word ("skill", "skills"): a typo of either means the same."""
    return a == b or a in inflections(b) or b in inflections(a)
