"""NLU report: cross-validated intent F1 on the training data, held-out intent and entity F1, and
the intents the model confuses most.

    python -m tools.nlu_report [--folds 3] [--model models/career.tar.gz] [--skip-cv]

Cross-validation trains one NLU model per fold on the rest of data/nlu.yml (our pipeline, from
config.yml) and scores the fold it left out. Entities come from the entity ruler, which is built
from the knowledge base and learns nothing from data/nlu.yml, so cross-validating them would only
repeat one measurement: the report gives their F1 on the annotated held-out sets instead.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from tools.nlu_eval import evaluate, load_examples, predict, score, summary

ROOT = Path(__file__).resolve().parent.parent


GENERAL = [ROOT / "tests" / "nlu" / "nlu_heldout.yml", ROOT / "tests" / "nlu" / "nlu_heldout_casual.yml"]
INTERVIEW = [ROOT / "tests" / "nlu" / "nlu_heldout_interview.yml"]
SEED = 7
THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55]


def fallback_settings() -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the FallbackClassifier in config.yml."""
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    return float(step.get("threshold", 0.3)), float(step.get("ambiguity_threshold", 0.1))


def load_training() -> dict[str, list[str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    by_intent: dict[str, list[str]] = defaultdict(list)
    for message in load_data(str(ROOT / "data" / "nlu.yml")).intent_examples:
        by_intent[str(message.get("intent"))].append(str(message.get("text")))
    return by_intent


def folds(by_intent: dict[str, list[str]], k: int) -> list[dict[str, list[str]]]:
    """k stratified folds: every intent's examples dealt round-robin after a seeded shuffle."""
    rng = random.Random(SEED)
    out: list[dict[str, list[str]]] = [defaultdict(list) for _ in range(k)]
    for intent, texts in sorted(by_intent.items()):
        shuffled = texts[:]
        rng.shuffle(shuffled)
        for index, text in enumerate(shuffled):
            out[index % k][intent].append(text)
    return out


def write_nlu(path: Path, by_intent: dict[str, list[str]]) -> None:
    import yaml

    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)} for i, texts in sorted(by_intent.items()) if texts]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cross_validate(k: int, work: Path) -> list[dict[str, Any]]:
    parts = folds(load_training(), k)
    results = []
    for index, test_part in enumerate(parts):
        train_part: dict[str, list[str]] = defaultdict(list)
        for other_index, other in enumerate(parts):
            if other_index != index:
                for intent, texts in other.items():
                    train_part[intent] += texts
        train_file, test_file = work / f"train-{index}.yml", work / f"test-{index}.yml"
        write_nlu(train_file, train_part)
        write_nlu(test_file, test_part)
        print(f"fold {index + 1}/{k}: training on {sum(map(len, train_part.values()))} examples…", flush=True)
        training = subprocess.run(
            [str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--nlu", str(train_file), "--config",
             str(ROOT / "config.yml"), "--out", str(work), "--fixed-model-name", f"fold-{index}", "--quiet"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        if training.returncode != 0:
            raise SystemExit(f"training fold {index + 1} failed:\n{training.stderr[-3000:]}")
        examples = load_examples([test_file])
        predictions = asyncio.run(predict(work / f"fold-{index}.tar.gz", [e["text"] for e in examples]))
        result = score(examples, predictions)
        print(f"  fold {index + 1}: {result['examples']} utterances, intent macro-F1 {result['intent_macro_f1']:.3f}, "
              f"accuracy {result['intent_accuracy']:.3f}", flush=True)
        results.append({**result, "examples_": examples, "predictions_": predictions})
    return results


def with_threshold(ranking: list[tuple[str, float]], threshold: float, ambiguity: float) -> str:
    """The intent the FallbackClassifier would give with these settings, from the raw ranking."""
    if ranking and ranking[0] == ("non_english", 1.0):
        return "non_english"
    real = [(name, conf) for name, conf in ranking if name != "nlu_fallback"]
    if not real:
        return "nlu_fallback"
    top = real[0][1]
    second = real[1][1] if len(real) > 1 else 0.0
    return "nlu_fallback" if top < threshold or top - second < ambiguity else real[0][0]


def threshold_sweep(folds_: list[dict[str, Any]], thresholds: list[float], ambiguity: float) -> list[tuple[float, float]]:
    """Mean cross-validated intent macro-F1 for each fallback threshold (no retraining needed)."""
    out = []
    for threshold in thresholds:
        f1s = []
        for fold in folds_:
            predictions = [{"intent": with_threshold(p["ranking"], threshold, ambiguity), "entities": []}
                           for p in fold["predictions"]]
            f1s.append(score(fold["examples"], predictions)["intent_macro_f1"])
        out.append((threshold, statistics.mean(f1s)))
    return out


def worst_confusions(result: dict[str, Any], n: int = 8) -> str:
    worst = sorted(result["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:n]
    lines = [f"  {intent:<18} F1 {v['f1']:.2f} (n={v['support']})" for intent, v in worst]
    lines += [f"  {c['expected']:>18} -> {c['got']:<18} x{c['count']}" for c in result["confusions"][:n]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "career.tar.gz")
    parser.add_argument("--skip-cv", action="store_true", help="held-out figures only (no training)")
    parser.add_argument("--report", type=Path, default=ROOT / "results" / "nlu_report.json")
    args = parser.parse_args()

    report: dict[str, Any] = {}
    if not args.skip_cv:
        with tempfile.TemporaryDirectory(prefix="nlu-cv-") as work:
            cv = cross_validate(args.folds, Path(work))
        f1s = [r["intent_macro_f1"] for r in cv]
        sweep = threshold_sweep([{"examples": r["examples_"], "predictions": r["predictions_"]} for r in cv],
                                THRESHOLDS, ambiguity=fallback_settings()[1])
        report["cross_validation"] = {"folds": args.folds, "intent_macro_f1": f1s, "fallback_threshold_sweep": sweep}
    print("\n== NLU report")
    if "cross_validation" in report:
        f1s = report["cross_validation"]["intent_macro_f1"]
        spread = statistics.stdev(f1s) if len(f1s) > 1 else 0.0
        print(f"cross-validated intent macro-F1 ({args.folds} folds of data/nlu.yml): "
              f"{statistics.mean(f1s):.3f} ± {spread:.3f}  [{', '.join(f'{f:.3f}' for f in f1s)}]")
        configured = fallback_settings()[0]
        print("cross-validated intent macro-F1 by fallback threshold (configured: "
              f"{configured}): " + ", ".join(f"{t:.2f}: {f:.3f}" for t, f in report["cross_validation"]["fallback_threshold_sweep"]))
        print("cross-validated entity F1: not applicable, the entity ruler learns nothing from data/nlu.yml; "
              "see the held-out entity F1 below", flush=True)
    general = evaluate(args.model, GENERAL)
    interview = evaluate(args.model, INTERVIEW)
    report["held_out"] = {"general": general, "interview": interview}
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(summary(general, label=f"held-out, general ({' + '.join(p.name for p in GENERAL)})"))
    print(summary(interview, label="held-out, interview (nlu_heldout_interview.yml)"))
    print("worst intents and confusions, general held-out:")
    print(worst_confusions(general))
    print("worst intents and confusions, interview held-out:")
    print(worst_confusions(interview))
    print(f"full report: {args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
