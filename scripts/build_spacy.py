"""Build step: assemble the spaCy pipeline Rasa loads (no model download exists here).

blank English tokenizer + lookup lemmatizer (tables from spacy-lookups-data) + an entity ruler
whose patterns come from the knowledge base's role and aspect synonyms, typo-tolerant.

    python scripts/build_spacy.py [OUTPUT_DIR]
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import spacy
import spacy_lookups_data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import knowledge  # noqa: E402
from bot.lexicon import Lexicon  # noqa: E402

LOOKUPS = Path(spacy_lookups_data.__file__).parent / "data"
LEMMA_FIXES = {"ai": "ai", "AI": "ai", "does": "do", "'s": "'s", "ml": "ml", "phd": "phd"}
COMMON_WORD_LOGPROB = -15.5  # "researcher" is -13.2, "kills" -10.2; "reserch" -18.0, "skils" -17.2
DEFAULT_OUTPUT = ROOT / "build" / "spacy-en-career"


def english_words() -> set[str]:
    """Real English words, so that "kills" is never taken for "skills" nor "there" for "where".

    Inflected forms and lemmas from the lemma table, plus every word frequent enough in the
    lexeme-probability table (log-probability above COMMON_WORD_LOGPROB; typos sit far below).
    """
    lookup = json.loads(gzip.decompress((LOOKUPS / "en_lemma_lookup.json.gz").read_bytes()))
    words = {w.lower() for pair in lookup.items() for w in pair if w.isalpha()}
    probs = json.loads(gzip.decompress((LOOKUPS / "en_lexeme_prob.json.gz").read_bytes()))
    words |= {w.lower() for w, p in probs.items() if p > COMMON_WORD_LOGPROB and w.isalpha()}
    return words


def build(output: Path) -> Path:
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": True})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    table = lemmatizer.lookups.get_table("lemma_lookup")
    # The lookup table maps a few words we care about to odd lemmas ("ai" -> "have",
    # "does" -> "doe"); fix those so the featurizers see sensible tokens.
    for word, lemma in LEMMA_FIXES.items():
        table.set(word, lemma)
    lexicon = Lexicon.from_kb(knowledge.load(), known_words=english_words())
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
