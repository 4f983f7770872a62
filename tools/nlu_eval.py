"""Evaluate a trained model on the NLU held-out set: intent macro-F1, entity F1, worst intents.

    python -m tools.nlu_eval [--model models/career.tar.gz] [--data tests/nlu/nlu_heldout.yml ...]
                               [--report results/nlu_heldout.json]

Entities are scored as the set of (type, value) pairs per utterance, values being knowledge-base
ids: an entity counts when the assistant would act on the right role or aspect, however many
words of the message point to it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")


HELDOUT_FILES = sorted((ROOT / "tests" / "nlu").glob("nlu_heldout*.yml"))
#: Everything but the interview: role questions, comparisons and small talk (nlu_heldout.yml); casual,
#: terse, misspelt, off-topic and foreign messages (nlu_heldout_casual.yml); and a larger blind set in
#: many voices, a fifth of it everyday requests from outside the domain (nlu_heldout_blind.yml).
GENERAL = [ROOT / "tests" / "nlu" / name for name in ("nlu_heldout.yml", "nlu_heldout_casual.yml", "nlu_heldout_blind.yml")]
#: Starting, steering and answering the interview.
INTERVIEW = [ROOT / "tests" / "nlu" / "nlu_heldout_interview.yml"]
ALL_ENTITIES = frozenset({"role", "aspect"})
#: Held-out files whose authors annotated only some entity types (or none); only those are scored there.
SCORED_ENTITIES = {"nlu_heldout_interview.yml": frozenset({"role"}), "nlu_heldout_blind.yml": frozenset()}


def load_examples(paths: list[Path]) -> list[dict[str, Any]]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for path in paths:
        scored = SCORED_ENTITIES.get(path.name, ALL_ENTITIES)
        for m in load_data(str(path)).intent_examples:
            examples.append({
                "text": m.get("text"),
                "intent": m.get("intent"),
                "entities": sorted({(e["entity"], str(e["value"])) for e in m.get("entities") or []}),
                "scored": scored,
            })
    return examples


def load_agent(model: Path) -> Any:
    """The trained model as an Agent, with Rasa's per-message debug lines (structlog) silenced."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    return Agent.load(str(model))


async def predict(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    agent = load_agent(model)
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        out.append(
            {
                "intent": (parsed.get("intent") or {}).get("name"),
                "entities": sorted({(e["entity"], str(e["value"])) for e in parsed.get("entities") or []}),
                "ranking": [(r["name"], float(r["confidence"])) for r in parsed.get("intent_ranking") or []],
            }
        )
    return out


def f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(examples: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    intents = sorted({e["intent"] for e in examples})
    per_intent = {}
    for intent in intents:
        tp = sum(1 for e, p in zip(examples, predictions, strict=False) if e["intent"] == intent and p["intent"] == intent)
        fp = sum(1 for e, p in zip(examples, predictions, strict=False) if e["intent"] != intent and p["intent"] == intent)
        fn = sum(1 for e, p in zip(examples, predictions, strict=False) if e["intent"] == intent and p["intent"] != intent)
        per_intent[intent] = {"f1": f1(tp, fp, fn), "support": tp + fn}
    confusions = Counter(
        (e["intent"], p["intent"]) for e, p in zip(examples, predictions, strict=False) if e["intent"] != p["intent"]
    )
    etp = efp = efn = 0
    entity_errors = []
    for e, p in zip(examples, predictions, strict=False):
        gold, got = Counter(e["entities"]), Counter(p["entities"])
        overlap = sum((gold & got).values())
        etp += overlap
        efp += sum(got.values()) - overlap
        efn += sum(gold.values()) - overlap
        if gold != got:
            entity_errors.append({"text": e["text"], "expected": e["entities"], "got": p["entities"]})
    misclassified = [
        {"text": e["text"], "expected": e["intent"], "got": p["intent"]}
        for e, p in zip(examples, predictions, strict=False)
        if e["intent"] != p["intent"]
    ]
    return {
        "examples": len(examples),
        "intent_macro_f1": sum(v["f1"] for v in per_intent.values()) / len(per_intent),
        "intent_accuracy": sum(1 for e, p in zip(examples, predictions, strict=False) if e["intent"] == p["intent"]) / len(examples),
        "entity_f1": f1(etp, efp, efn),
        "per_intent": per_intent,
        "confusions": [{"expected": a, "got": b, "count": n} for (a, b), n in confusions.most_common()],
        "misclassified": misclassified,
        "entity_errors": entity_errors,
    }


def summary(result: dict[str, Any], *, label: str = "held-out") -> str:
    lines = [
        f"{label}: {result['examples']} utterances, intent macro-F1 {result['intent_macro_f1']:.3f}, "
        f"accuracy {result['intent_accuracy']:.3f}, entity F1 {result['entity_f1']:.3f}"
    ]
    worst = sorted(result["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:5]
    lines.append("  worst intents: " + ", ".join(f"{k} {v['f1']:.2f}" for k, v in worst))
    for c in result["confusions"][:5]:
        lines.append(f"  confused {c['expected']} -> {c['got']} x{c['count']}")
    return "\n".join(lines)


def evaluate(model: Path, data: list[Path] = HELDOUT_FILES) -> dict[str, Any]:
    if not Path(model).is_file():  # Agent.load would quietly fall back to the newest model
        raise FileNotFoundError(f"no model at {model}")
    examples = load_examples(data)
    predictions = asyncio.run(predict(model, [e["text"] for e in examples]))
    for example, prediction in zip(examples, predictions, strict=False):
        prediction["entities"] = [e for e in prediction["entities"] if e[0] in example["scored"]]
    return score(examples, predictions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "career.tar.gz")
    parser.add_argument("--data", type=Path, action="append", help="held-out file(s); default tests/nlu/nlu_heldout*.yml")
    parser.add_argument("--report", type=Path, default=ROOT / "results" / "nlu_heldout.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = evaluate(args.model, args.data or HELDOUT_FILES)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(summary(result))
    if args.verbose:
        for m in result["misclassified"]:
            print(f"  INTENT {m['expected']:>18} -> {m['got']:<18} {m['text']}")
        for m in result["entity_errors"]:
            print(f"  ENTITY {m['text']}\n      expected {m['expected']}\n      got      {m['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
