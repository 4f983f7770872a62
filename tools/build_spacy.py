"""Build step: assemble the spaCy pipeline Rasa loads (no model download exists here).

blank English tokenizer + lookup lemmatizer (tables from spacy-lookups-data) + an entity ruler
whose patterns come from the knowledge base's role and aspect synonyms, typo-tolerant.

    python -m tools.build_spacy [OUTPUT_DIR]
"""
from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable
from pathlib import Path

import spacy
import spacy_lookups_data
from spacy.pipeline import EntityRuler, Lemmatizer

from bot import knowledge
from bot.lexicon import Lexicon

ROOT = Path(__file__).resolve().parent.parent


LOOKUPS = Path(spacy_lookups_data.__file__).parent / "data"
LEMMA_FIXES = {"ai": "ai", "AI": "ai", "does": "do", "'s": "'s", "ml": "ml", "phd": "phd"}
COMMON_WORD_LOGPROB = -15.5  # "researcher" is -13.2, "kills" -10.2; "reserch" -18.0, "skils" -17.2
TYPO_LOGPROB_GAP = 4.0  # "enviroment" -14.4 against "environment" -10.2; "there" -6.1 against "where" -7.1
DEFAULT_OUTPUT = ROOT / "build" / "spacy-en-career"


def english_words() -> set[str]:
    """Inflected forms and lemmas from the lemma table: real words, never typos."""
    lookup = json.loads(gzip.decompress((LOOKUPS / "en_lemma_lookup.json.gz").read_bytes()))
    return {w.lower() for pair in lookup.items() for w in pair if w.isalpha()}


def frequency_check() -> Callable[[str, str], bool]:
    """is_word(variant, word) from word frequencies: "there" is a word, "enviroment" a typo.

    A variant counts as a word of its own when it is common in English (log-probability above
    COMMON_WORD_LOGPROB) and not far rarer than the word it is one letter away from (common
    misspellings such as "enviroment" are frequent, but about e^4 times rarer than the word).
    """
    probs = json.loads(gzip.decompress((LOOKUPS / "en_lexeme_prob.json.gz").read_bytes()))

    def is_word(variant: str, word: str) -> bool:
        p = probs.get(variant)
        if p is None or p <= COMMON_WORD_LOGPROB:
            return False
        return bool(p > probs.get(word, COMMON_WORD_LOGPROB) - TYPO_LOGPROB_GAP)

    return is_word


def build(output: Path) -> Path:
    nlp = spacy.blank("en")
    lemmatizer: Lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})  # type: ignore[assignment]
    ruler: EntityRuler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": True})  # type: ignore[assignment]
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    table = lemmatizer.lookups.get_table("lemma_lookup")
    # The lookup table maps a few words we care about to odd lemmas ("ai" -> "have",
    # "does" -> "doe"); fix those so the featurizers see sensible tokens.
    for word, lemma in LEMMA_FIXES.items():
        table.set(word, lemma)
    lexicon = Lexicon.from_kb(knowledge.load(), known_words=english_words(), is_word=frequency_check())
    patterns = lexicon.patterns(lambda text: [t.text for t in nlp.make_doc(text)])
    ruler.add_patterns(patterns)
    nlp.meta["name"] = "en_career"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English + lookup lemmas + role/aspect entity ruler"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    print(f"spaCy pipeline {nlp.pipe_names} with {len(patterns)} ruler patterns -> {output}")
    return output


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
