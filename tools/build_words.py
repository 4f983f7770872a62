"""Build step: the word lists bot/language.py checks foreign messages against, from spaCy's language data.

- English and other languages' function words: spaCy's stop words for English and for each
  language in `bot.language.LATIN_LANGUAGES`;
- common English word forms: spaCy's English word-frequency table (spacy-lookups-data) above
  COMMON_LOGPROB. Reading the table takes about a second and 200 MB, so the servers read this list instead.

    python -m tools.build_words
"""
from __future__ import annotations

import gzip
import importlib
import json
from pathlib import Path
from typing import Any

import spacy_lookups_data

from bot.language import LATIN_LANGUAGES, WORDS_FILE

ROOT = Path(__file__).resolve().parent.parent
#: Log-probability of a common word: "awesome" is above it, "estudiar", "verdient" and "ingenieur" below.
COMMON_LOGPROB = -15.5


def stop_words(code: str) -> list[str]:
    """spaCy's stop words for the language `code`, lower-cased and sorted."""
    module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    return sorted({word.lower() for word in module.STOP_WORDS})


def common_english_words() -> list[str]:
    """Word forms of spaCy's English frequency table with a log-probability above COMMON_LOGPROB."""
    table = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probabilities = json.loads(gzip.decompress(table.read_bytes()))
    return sorted({word.lower() for word, logprob in probabilities.items() if logprob > COMMON_LOGPROB})


def word_lists() -> dict[str, Any]:
    return {"english": stop_words("en"), "foreign": {code: stop_words(code) for code in LATIN_LANGUAGES},
            "vocabulary": common_english_words()}


def main(output: Path = WORDS_FILE) -> None:
    lists = word_lists()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
    print(f"{len(lists['vocabulary'])} common English words and the function words of {len(lists['foreign']) + 1} "
          f"languages -> {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
