"""How well the report groups the messages it could not answer: lexical similarity against MiniLM embeddings.

On the everyday requests of ../shared/eval/ood_dev.tsv (CLINC150's validation split: 2,400 messages
of 120 known intents once its out-of-scope rows are left out), each method groups the messages at
several thresholds. Pairwise precision: of the pairs put in one group, the share with one intent;
recall: of the pairs with one intent, the share put in one group. Also V-measure, the number of
groups and the time taken (docs/insights.md has the figures).

    python -m tools.insights_grouping            # the report's lexical grouping (seconds)
    python -m tools.insights_grouping --minilm   # also all-MiniLM-L6-v2 from build/minilm (about a minute on 2 cores)
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from insights import grouping

ROOT = Path(__file__).resolve().parents[1]
MEASURING_SET = ROOT.parent / "shared" / "eval" / "ood_dev.tsv"
LEXICAL_THRESHOLDS = (0.15, 0.2, 0.25, 0.3)
MINILM_THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


@dataclass(frozen=True)
class Score:
    groups: int
    precision: float
    recall: float
    f1: float
    v_measure: float


def measuring_set(path: Path = MEASURING_SET) -> tuple[list[str], list[str]]:
    """The messages and their intents (out-of-scope rows left out: they have no intent in common)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["source_intent"] != "oos"]
    return [row["text"] for row in rows], [row["source_intent"] for row in rows]


def score(labels: Sequence[str], groups: Sequence[Sequence[int]]) -> Score:
    from sklearn.metrics import v_measure_score

    predicted = [0] * len(labels)
    for number, members in enumerate(groups):
        for index in members:
            predicted[index] = number

    def pairs(counts: Counter[Any]) -> float:
        return sum(n * (n - 1) / 2 for n in counts.values())

    together = pairs(Counter(zip(labels, predicted, strict=True)))
    precision = together / (pairs(Counter(predicted)) or 1)
    recall = together / (pairs(Counter(labels)) or 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(len(groups), precision, recall, f1, float(v_measure_score(labels, predicted)))


def lexical(texts: Sequence[str], threshold: float) -> list[list[int]]:
    return [list(g.members) for g in grouping.group(texts, threshold=threshold)]


def minilm_grouper(texts: Sequence[str]) -> Callable[[float], list[list[int]]]:
    """Average-linkage groups over all-MiniLM-L6-v2 sentence embeddings (mean-pooled, unit length), as the NLU computes them."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from transformers import AutoTokenizer, TFAutoModel

    tokenizer = AutoTokenizer.from_pretrained(str(ROOT / "build" / "minilm"))
    model = TFAutoModel.from_pretrained(str(ROOT / "build" / "minilm"))
    vectors = []
    for start in range(0, len(texts), 64):
        batch = tokenizer(list(texts[start:start + 64]), padding=True, truncation=True, return_tensors="tf")
        hidden, mask = model(**batch)[0].numpy(), batch["attention_mask"].numpy()[..., None]
        mean = (hidden * mask).sum(axis=1) / mask.sum(axis=1)
        vectors.append(mean / np.linalg.norm(mean, axis=1, keepdims=True))
    embedded = np.vstack(vectors)
    distance = np.clip(1.0 - embedded @ embedded.T, 0.0, 2.0)
    tree = linkage(distance[np.triu_indices(len(texts), k=1)], method="average")

    def groups(threshold: float) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for index, label in enumerate(fcluster(tree, t=1.0 - threshold, criterion="distance")):
            found.setdefault(int(label), []).append(index)
        return list(found.values())

    return groups


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.insights_grouping", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minilm", action="store_true", help="also group by all-MiniLM-L6-v2 embeddings")
    args = parser.parse_args(argv)
    if not MEASURING_SET.exists():
        print(f"the measuring set is missing: {MEASURING_SET}", file=sys.stderr)
        return 2
    texts, labels = measuring_set()
    print(f"{len(texts):,} messages of {len(set(labels))} intents")
    print("method    threshold  groups  precision  recall    F1  V-measure  seconds")
    for threshold in LEXICAL_THRESHOLDS:
        started = time.perf_counter()
        found = score(labels, lexical(texts, threshold))
        _line("lexical", threshold, found, time.perf_counter() - started)
    if args.minilm:
        started = time.perf_counter()
        grouper = minilm_grouper(texts)
        embedding = time.perf_counter() - started
        for threshold in MINILM_THRESHOLDS:
            started = time.perf_counter()
            found = score(labels, grouper(threshold))
            _line("MiniLM", threshold, found, embedding + time.perf_counter() - started)
    return 0


def _line(method: str, threshold: float, found: Score, seconds: float) -> None:
    print(f"{method:9} {threshold:9.2f}  {found.groups:6,}  {found.precision:9.2f}  {found.recall:6.2f}  {found.f1:4.2f}"
          f"  {found.v_measure:9.3f}  {seconds:7.1f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
