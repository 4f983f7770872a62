"""`make bench`: speed, memory and NLU accuracy, ours side by side with Rasa's default pipeline.

Both models are trained from scratch on the same data (cache off), then each is served by a real
Rasa server with the same action server, and driven over the REST channel:

  training time and model size, start-up to first answer, per-turn latency p50/p95/p99 for one
  conversation and for 20 concurrent ones, saturation throughput, latency at turn 5 and turn 200
  of one long conversation, peak RSS of both servers, and held-out NLU F1.

The machine is shared and noisy: compare the columns of one run, not runs with each other.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

from tools.harness.servers import Servers, running_servers
from tools.nlu_eval import GENERAL, INTERVIEW, evaluate

ROOT = Path(__file__).resolve().parent.parent


CONVERSATION: list[str] = yaml.safe_load((ROOT / "bench" / "conversation.yml").read_text(encoding="utf-8"))["turns"]
CONFIGS = {
    "ours": ROOT / "config.yml",
    # config.yml without the open-world gate and the aspect-by-meaning extractor, written at run time:
    # what those two cost per turn, side by side.
    "no-meaning": ROOT / "config.yml",
    "ours-no-lm": ROOT / "bench" / "config-no-lm.yml",
    "default": ROOT / "bench" / "config-default.yml",
}
MEANING_COMPONENTS = ("components.meaning.OpenWorldGate", "components.meaning.MeaningAspectExtractor")


def without_meaning(out: Path) -> Path:
    """config.yml minus the components of components/meaning.py."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = [step for step in config["pipeline"] if step["name"] not in MEANING_COMPONENTS]
    path = out / "config-no-meaning.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def train(name: str, config: Path, out: Path) -> dict[str, float]:
    env = {**os.environ, "RASA_MAX_CACHE_SIZE": "0", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "--config", str(config), "--domain", "domain.yml",
         "--data", "data", "--out", str(out), "--fixed-model-name", name, "--force", "--quiet"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    model = out / f"{name}.tar.gz"
    return {"train_s": seconds, "model_mb": model.stat().st_size / 1e6}


def timed_say(servers: Servers, sender: str, text: str) -> float:
    start = time.perf_counter()
    servers.say(sender, text)
    return (time.perf_counter() - start) * 1000


def one_conversation(servers: Servers, turns: int) -> list[float]:
    sender, out = f"bench-{uuid.uuid4().hex[:8]}", []
    for i in range(turns):
        if i and i % len(CONVERSATION) == 0:
            sender = f"bench-{uuid.uuid4().hex[:8]}"
        out.append(timed_say(servers, sender, CONVERSATION[i % len(CONVERSATION)]))
    return out


def concurrent_conversations(servers: Servers, users: int, turns_each: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def user() -> None:
        nonlocal errors
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        for i in range(turns_each):
            try:
                ms = timed_say(servers, sender, CONVERSATION[i % len(CONVERSATION)])
            except Exception:  # noqa: BLE001 - counted, reported
                with lock:
                    errors += 1
                continue
            with lock:
                latencies.append(ms)

    threads = [threading.Thread(target=user) for _ in range(users)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return latencies, len(latencies) / elapsed, errors


def long_conversation(servers: Servers, turns: int) -> list[float]:
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    questions = CONVERSATION[1:-1]
    return [timed_say(servers, sender, questions[i % len(questions)]) for i in range(turns)]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (VmHWM), in MB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def serve_and_measure(model: Path, log_dir: Path, *, quick: bool) -> dict[str, Any]:
    start = time.perf_counter()
    with running_servers(model=model, log_dir=log_dir) as servers:
        servers.say("bench-first", "hello")
        startup = time.perf_counter() - start
        for _ in range(10):  # warm-up
            servers.say("bench-warm", CONVERSATION[1])
        single = one_conversation(servers, 60 if quick else 240)
        conc, throughput, errors = concurrent_conversations(servers, 20, 6 if quick else 24)
        long = long_conversation(servers, 60 if quick else 200)
        figures = {
            "startup_s": startup,
            "single_p50": percentile(single, 0.5), "single_p95": percentile(single, 0.95),
            "single_p99": percentile(single, 0.99),
            "conc20_p50": percentile(conc, 0.5), "conc20_p95": percentile(conc, 0.95),
            "conc20_p99": percentile(conc, 0.99),
            "throughput": throughput, "errors": errors,
            "turn5_ms": statistics.median(long[2:7]), "turn_last_ms": statistics.median(long[-5:]),
            "turns_long": len(long),
            "rasa_rss_mb": peak_rss_mb(servers.rasa.pid), "actions_rss_mb": peak_rss_mb(servers.actions.pid),
        }
    return figures


ROWS = [
    ("train_s", "training time (s)", "{:.0f}"),
    ("model_mb", "model size (MB)", "{:.1f}"),
    ("startup_s", "start to first answer (s)", "{:.1f}"),
    ("single_p50", "1 conversation p50 (ms)", "{:.1f}"),
    ("single_p95", "1 conversation p95 (ms)", "{:.1f}"),
    ("single_p99", "1 conversation p99 (ms)", "{:.1f}"),
    ("conc20_p50", "20 concurrent p50 (ms)", "{:.0f}"),
    ("conc20_p95", "20 concurrent p95 (ms)", "{:.0f}"),
    ("conc20_p99", "20 concurrent p99 (ms)", "{:.0f}"),
    ("throughput", "saturation throughput (turns/s)", "{:.1f}"),
    ("errors", "errors", "{:.0f}"),
    ("turn5_ms", "long conversation, turn 5 (ms)", "{:.1f}"),
    ("turn_last_ms", "long conversation, last turn (ms)", "{:.1f}"),
    ("rasa_rss_mb", "Rasa server peak RSS (MB)", "{:.0f}"),
    ("actions_rss_mb", "action server peak RSS (MB)", "{:.0f}"),
    ("intent_macro_f1", "held-out intent macro-F1", "{:.3f}"),
    ("entity_f1", "held-out entity F1", "{:.3f}"),
    ("interview_intent_macro_f1", "interview held-out intent F1", "{:.3f}"),
]


def table(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    lines = [f"{'':36s}" + "".join(f"{n:>12s}" for n in names)]
    for key, label, fmt in ROWS:
        cells = [fmt.format(results[n][key]) if key in results[n] else "-" for n in names]
        lines.append(f"{label:36s}" + "".join(f"{c:>12s}" for c in cells))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer turns (a smoke run, not for figures)")
    parser.add_argument("--only", choices=sorted(CONFIGS), action="append", help="run one pipeline only")
    parser.add_argument("--report", type=Path, default=ROOT / "results" / "bench.json")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for name in args.only or list(CONFIGS):
            print(f"[{name}] training from scratch…", flush=True)
            config = without_meaning(Path(tmp)) if name == "no-meaning" else CONFIGS[name]
            figures = train(f"bench-{name}", config, Path(tmp))
            model = Path(tmp) / f"bench-{name}.tar.gz"
            print(f"[{name}] serving and measuring…", flush=True)
            figures |= serve_and_measure(model, Path(tmp) / f"logs-{name}", quick=args.quick)
            foundation = evaluate(model, GENERAL)
            interview = evaluate(model, INTERVIEW)
            figures |= {"intent_macro_f1": foundation["intent_macro_f1"], "entity_f1": foundation["entity_f1"],
                        "interview_intent_macro_f1": interview["intent_macro_f1"]}
            results[name] = figures
    print()
    print(table(results))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
