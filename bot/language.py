"""Is a message clearly not English? Then the assistant says, in English, that it only speaks English.

The test is deliberately cautious: a terse, misspelt or jargon-only English message must never be
taken for a foreign one. A message counts as foreign when most of its letters are in a non-Latin
script (Cyrillic, CJK, Arabic, Devanagari, ...), or when the function words of one other language
clearly outnumber the English ones ("¿qué hace un ingeniero de IA?" has four Spanish function
words and no English one), or when it is a short greeting or thanks in another language ("hola").
Function-word lists (spaCy's stop words for each language) and common English word forms come
from build/language-words.json, which the build step writes (tools/build_words.py).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.lexicon import edits1

#: Latin-script languages whose function words are checked; the others are caught by their script.
LATIN_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "pl", "tr", "id", "sv", "da", "nb", "ro", "cs",
                   "sk", "hr", "sl", "hu", "fi", "ca", "tl", "af", "lb", "lt", "lv", "et", "sq", "az", "vi")
#: Short greetings and thanks that carry no function word, in the languages above.
FOREIGN_COURTESIES = frozenset({
    "hola", "buenos", "buenas", "gracias", "bonjour", "bonsoir", "salut", "merci", "moin", "servus",
    "danke", "tschüss", "ciao", "buongiorno", "buonasera", "grazie", "olá", "obrigado", "obrigada", "tchau",
    "hoi", "dank", "bedankt", "cześć", "dzień", "dziękuję", "merhaba", "selam", "teşekkürler", "halo",
    "terima", "kasih", "hej", "tack", "takk", "tak", "bună", "mulțumesc", "ahoj", "díky", "děkuji", "szia",
    "köszönöm", "kiitos", "moi", "hei", "adiós", "adeus", "arrivederci", "auf", "wiedersehen", "gute",
    "guten", "buen", "buon", "xin", "chào",
})
#: English chat words missing from spaCy's English stop words, some of which are function words
#: elsewhere ("hi" in Catalan, "oh" in Dutch): "oh hi" is English.
ENGLISH_CHAT_WORDS = frozenset({
    "hi", "hey", "hello", "oh", "ok", "okay", "ah", "aha", "yo", "um", "uh", "hmm", "lol", "yeah", "yes",
    "yep", "nope", "bye", "thanks", "thx", "pls", "plz", "ur",
})
#: Share of letters outside the Latin script above which a message is foreign.
NON_LATIN_SHARE = 0.5
#: Distinct foreign function words needed; they must also outnumber the English ones.
MIN_FOREIGN_WORDS = 2
#: With a single foreign function word, more than this share of the words of LONG_WORD letters or
#: more must be unknown to English, even allowing one typo.
LONG_WORD = 5
UNKNOWN_SHARE = 0.5
#: The word lists, written by the build step (tools/build_words.py) from spaCy's language data.
WORDS_FILE = Path(__file__).resolve().parent.parent / "build" / "language-words.json"

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class FunctionWords:
    english: frozenset[str]
    foreign: Mapping[str, frozenset[str]]
    #: Common English word forms (spaCy's frequency table); empty means "don't use vocabulary".
    vocabulary: frozenset[str] = frozenset()


class LanguageDataError(RuntimeError):
    """The word lists are missing or malformed; the message names the file and how to rebuild it."""


@lru_cache(maxsize=1)
def function_words(path: Path = WORDS_FILE) -> FunctionWords:
    """The word lists the build step wrote (loaded once)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        english = frozenset(data["english"]) | ENGLISH_CHAT_WORDS
        foreign = {code: frozenset(data["foreign"][code]) for code in LATIN_LANGUAGES}
        vocabulary = frozenset(data["vocabulary"])
    except FileNotFoundError:
        raise LanguageDataError(f"{path} is missing: run `make build` (tools/build_words.py writes it)") from None
    except (ValueError, KeyError, TypeError) as error:
        raise LanguageDataError(f"{path} is malformed ({type(error).__name__}: {error}): run `make build` "
                                "to write it again") from None
    return FunctionWords(english=english, foreign=foreign, vocabulary=vocabulary)


def has_words(text: str) -> bool:
    """False for messages of only emoji, punctuation, symbols and spaces ("😀😀", "?!?")."""
    return any(c.isalnum() for c in text)


def non_latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN")) / len(letters)


def is_foreign(text: str, words: FunctionWords | None = None) -> bool:
    """True when the message is clearly written in a language other than English."""
    if non_latin_share(text) > NON_LATIN_SHARE:
        return True
    tokens = sorted({t.lower() for t in WORD.findall(text)})
    if not tokens:
        return False
    words = words or function_words()
    english = sum(1 for t in tokens if t in words.english)
    if len(tokens) <= 4 and english == 0 and any(t in FOREIGN_COURTESIES for t in tokens):
        return True
    # One-letter words ("x", "r u", "R&D") say nothing about the language, unless accented ("é", "à").
    tokens = [t for t in tokens if len(t) > 1 or not t.isascii()]
    foreign = max(sum(1 for t in tokens if t in stops and t not in words.english) + _accented(tokens, stops)
                  for stops in words.foreign.values())
    if foreign >= MIN_FOREIGN_WORDS and foreign > english:
        return True
    # One foreign function word, at most one English one, and the longer words unknown to English
    # even allowing a typo ("Was verdient ein KI-Ingenieur?"; but "skils needed for ai enginer").
    if foreign == 1 and english <= 1 and words.vocabulary:
        long_words = [t for t in tokens if len(t) >= LONG_WORD]
        unknown = [t for t in long_words if not _near_english(t, words.vocabulary)]
        return bool(long_words) and len(unknown) / len(long_words) > UNKNOWN_SHARE
    return False


def _near_english(word: str, vocabulary: frozenset[str]) -> bool:
    """The word, or a one-letter slip of it, is a common English word form."""
    return word in vocabulary or not edits1(word).isdisjoint(vocabulary)


def _accented(tokens: list[str], stops: frozenset[str]) -> int:
    """Words with letters English does not use (ñ, ß, ą, ...), outside the stop-word list."""
    return sum(1 for t in tokens if t not in stops and any(ord(c) > 127 for c in t))
