"""NLU report: every understanding figure over several training seeds, with its mean and spread.

    python -m tools.nlu_report [--seeds 42 7 1] [--folds 0] [--shipped-only]

For each seed, one NLU model is trained on data/ with config.yml (DIET's random_seed replaced)
and scored on: the general and interview held-out sets (intent macro-F1, entity F1), the blind
aspect questions, the blind two-turn exchanges, everyday out-of-domain requests (false-answer
rate) and the in-domain held-out messages (false-decline rate); see tools/understanding.py.
One training run differs from the next by more than a data change often does (and the same
seed differs between machines), so the floors in `make test` sit below the worst seed.

`--folds N` adds N-fold cross-validation of the intents on the training data. Entities come from
the entity ruler, which learns nothing from the data, so they are scored on the held-out sets only.
`--shipped-only` scores models/career.tar.gz alone, with no training.
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

from tools import understanding
from tools.nlu_eval import GENERAL, INTERVIEW, evaluate, load_examples, predict, score

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
SEEDS = [42, 7, 1]
#: (label, key, format) of each figure the report gives per seed.
FIGURES = [
    ("general held-out intent macro-F1", "general_f1", ".3f"),
    ("general held-out entity F1", "entity_f1", ".3f"),
    ("interview held-out intent macro-F1", "interview_f1", ".3f"),
    ("aspect accuracy (blind, no lexicon word)", "aspect_accuracy", ".3f"),
    ("context accuracy (blind two-turn exchanges)", "context_accuracy", ".3f"),
    ("false-answer rate, out-of-domain requests", "false_answer_rate", ".4f"),
    ("false-decline rate, in-domain held-out", "false_decline_rate", ".4f"),
]
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
    for message in load_data(str(ROOT / "data")).intent_examples:
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


def train_seed(seed: int, work: Path) -> Path:
    """Train an NLU model with config.yml, DIET's random_seed set to `seed`."""
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for step in config["pipeline"]:
        if step["name"] == "DIETClassifier":
            step["random_seed"] = seed
    config_file = work / f"config-{seed}.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    print(f"seed {seed}: training…", flush=True)
    training = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--nlu", str(ROOT / "data"), "--config",
         str(config_file), "--out", str(work), "--fixed-model-name", f"seed-{seed}", "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    if training.returncode != 0:
        raise SystemExit(f"training with seed {seed} failed:\n{training.stderr[-3000:]}")
    return work / f"seed-{seed}.tar.gz"


def figures(model: Path) -> dict[str, Any]:
    general = evaluate(model, GENERAL)
    interview = evaluate(model, INTERVIEW)
    meaning = understanding.measure(model)
    return {
        "general_f1": general["intent_macro_f1"],
        "entity_f1": general["entity_f1"],
        "interview_f1": interview["intent_macro_f1"],
        "aspect_accuracy": meaning["aspect_accuracy"],
        "context_accuracy": meaning["context_accuracy"],
        "false_answer_rate": meaning["false_answer_rate"],
        "false_decline_rate": meaning["false_decline_rate"],
        "details": {"general": general, "interview": interview, "understanding": meaning},
    }


def spread_table(runs: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'figure':<46} {'mean':>7} {'min':>7} {'max':>7} {'sd':>7}   per seed"]
    for label, key, fmt in FIGURES:
        values = [run[key] for run in runs.values() if run[key] is not None]
        if not values:
            lines.append(f"{label:<46} {'n/a':>7}")
            continue
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        per_seed = ", ".join(f"{seed}: {run[key]:{fmt}}" for seed, run in runs.items() if run[key] is not None)
        lines.append(f"{label:<46} {statistics.mean(values):>7{fmt}} {min(values):>7{fmt}} {max(values):>7{fmt}} "
                     f"{sd:>7{fmt}}   {per_seed}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=SEEDS)
    parser.add_argument("--folds", type=int, default=0, help="also cross-validate the intents (0: no)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "career.tar.gz")
    parser.add_argument("--shipped-only", action="store_true", help="score --model alone, no training")
    parser.add_argument("--report", type=Path, default=ROOT / "results" / "nlu_report.json")
    args = parser.parse_args()

    report: dict[str, Any] = {}
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="nlu-report-") as work:
        if args.folds:
            cv = cross_validate(args.folds, Path(work))
            sweep = threshold_sweep([{"examples": r["examples_"], "predictions": r["predictions_"]} for r in cv],
                                    THRESHOLDS, ambiguity=fallback_settings()[1])
            report["cross_validation"] = {"folds": args.folds, "intent_macro_f1": [r["intent_macro_f1"] for r in cv],
                                          "fallback_threshold_sweep": sweep}
        if args.shipped_only:
            runs["shipped"] = figures(args.model)
        else:
            for seed in args.seeds:
                runs[str(seed)] = figures(train_seed(seed, Path(work)))
                print(f"seed {seed}: " + ", ".join(f"{key} {runs[str(seed)][key]}" for _, key, _ in FIGURES), flush=True)
    report["runs"] = runs
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")

    print("\n== NLU report")
    if "cross_validation" in report:
        f1s = report["cross_validation"]["intent_macro_f1"]
        spread = statistics.stdev(f1s) if len(f1s) > 1 else 0.0
        print(f"cross-validated intent macro-F1 ({args.folds} folds of data/): "
              f"{statistics.mean(f1s):.3f} ± {spread:.3f}  [{', '.join(f'{f:.3f}' for f in f1s)}]")
        configured = fallback_settings()[0]
        print("cross-validated intent macro-F1 by fallback threshold (configured: "
              f"{configured}): " + ", ".join(f"{t:.2f}: {f:.3f}" for t, f in report["cross_validation"]["fallback_threshold_sweep"]))
    general_n = sum(len(load_examples([p])) for p in GENERAL)
    print(f"held-out sets: general {general_n} utterances ({' + '.join(p.name for p in GENERAL)}), "
          f"interview ({INTERVIEW[0].name}); seeds: {', '.join(runs)}")
    print(spread_table(runs))
    worst = min(runs.values(), key=lambda run: run["general_f1"])
    print("worst intents and confusions, general held-out (worst seed):")
    print(worst_confusions(worst["details"]["general"]))
    print("worst intents and confusions, interview held-out (worst seed):")
    print(worst_confusions(worst["details"]["interview"]))
    print(f"full report: {args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
