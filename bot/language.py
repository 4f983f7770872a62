"""Is a message clearly not English? Then the assistant says, in English, that it only speaks English.

The test is deliberately cautious: a terse, misspelt or jargon-only English message must never be
taken for a foreign one. A message counts as foreign when most of its letters are in a non-Latin
script (Cyrillic, CJK, Arabic, Devanagari, ...), or when the function words of one other language
clearly outnumber the English ones ("¿qué hace un ingeniero de IA?" has four Spanish function
words and no English one), or when it is a short greeting or thanks in another language ("hola").
Function-word lists come from spaCy's stop words for each language.
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
#: "awesome" is -8.2, "estudiar" -15.8, "verdient" -17.0, "ingenieur" -19.5.
COMMON_LOGPROB = -15.5
#: Those common words (a JSON list), written by the build step so the server need not read the table.
WORDS_FILE = Path(__file__).resolve().parent.parent / "build" / "english-words.json"

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class FunctionWords:
    english: frozenset[str]
    foreign: Mapping[str, frozenset[str]]
    #: Common English word forms (spaCy's frequency table); empty means "don't use vocabulary".
    vocabulary: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def spacy_function_words() -> FunctionWords:
    """English and other languages' stop words, from spaCy's language data (loaded once)."""
    import importlib

    def stop_words(code: str) -> frozenset[str]:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
        return frozenset(w.lower() for w in module.STOP_WORDS)

    english = stop_words("en") | ENGLISH_CHAT_WORDS
    return FunctionWords(english=english, foreign={code: stop_words(code) for code in LATIN_LANGUAGES},
                         vocabulary=english_vocabulary())


def english_vocabulary() -> frozenset[str]:
    """Common English word forms: the list the build step wrote (scripts/build_words.py), or, if it
    has not run, the same words straight from the frequency table (about a second and 200 MB more)."""
    if WORDS_FILE.is_file():
        return frozenset(json.loads(WORDS_FILE.read_text(encoding="utf-8")))
    return common_english_words()


def common_english_words() -> frozenset[str]:
    """Word forms of spaCy's English word-frequency table (spacy-lookups-data) with a
    log-probability above COMMON_LOGPROB."""
    import gzip

    import spacy_lookups_data

    table = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probabilities = json.loads(gzip.decompress(table.read_bytes()))
    return frozenset(word.lower() for word, logprob in probabilities.items() if logprob > COMMON_LOGPROB)


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
    words = words or spacy_function_words()
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
