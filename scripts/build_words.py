"""Build step: the common English words bot/language.py checks foreign messages against.

Reading them from spaCy's word-frequency table takes about a second and 200 MB at every server
start; the list itself is 54,000 words.

    python scripts/build_words.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.language import WORDS_FILE, common_english_words  # noqa: E402

if __name__ == "__main__":
    words = sorted(common_english_words())
    WORDS_FILE.parent.mkdir(parents=True, exist_ok=True)
    WORDS_FILE.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    print(f"{len(words)} common English words -> {WORDS_FILE.relative_to(ROOT)}")
