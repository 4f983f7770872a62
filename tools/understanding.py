"""Understanding figures of a trained model, beyond intent F1: what `make nlu-report` prints per seed.

    python -m tools.understanding [--model models/career.tar.gz] [-v]

- aspect accuracy: tests/nlu/aspect_heldout.yml, blind questions that use no lexicon word of their
  own aspect; the aspect the assistant would answer (entity ruler + meaning), with no context.
- context accuracy: tests/nlu/context_heldout.yml, blind two-turn exchanges; the roles and the
  aspect the assistant would answer the second message with, after answering the first.
- aspect accuracy as answered: the same questions, counting the topic of the facts a fact-level
  answer gives (bot/facts.py) where there is one.
- fact accuracy: tests/nlu/facts_heldout.yml, blind questions about one point of the knowledge
  base: the first fact answered is one of the right ones; and the share of generic questions
  (a topic or a comparison answers them) that got facts instead.
- false-answer rate: everyday requests from outside the domain (../shared/eval/ood_dev.tsv,
  CLINC150 validation) that get an answering intent rather than out of scope, the fallback or
  the English-only notice.
- false-decline rate: in-domain held-out messages (every intent but out_of_scope and non_english)
  that the open-world check pushed out of scope.

Resolution goes through bot.questions.understand, the function the actions use.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")

ASPECT_SET = ROOT / "tests" / "nlu" / "aspect_heldout.yml"
CONTEXT_SET = ROOT / "tests" / "nlu" / "context_heldout.yml"
FACT_SET = ROOT / "tests" / "nlu" / "facts_heldout.yml"
OOD_SET = ROOT.parent / "shared" / "eval" / "ood_dev.tsv"
HELDOUT_FILES = sorted((ROOT / "tests" / "nlu").glob("nlu_heldout*.yml"))
#: Replies that do not answer: out of scope, the fallback, the English-only notice.
NOT_ANSWERING = frozenset({"out_of_scope", "nlu_fallback", "non_english"})
GATE = "components.meaning.OpenWorldGate"
#: Intents answered on the topic in context ("tell me more", "tl;dr").
SAME_TOPIC = frozenset({"ask_more", "ask_shorter"})


def gate_threshold() -> float:
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"] == GATE)
    return float(step["threshold"])


async def parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    from tools.nlu_eval import load_agent

    agent = load_agent(model)
    return [await agent.parse_message(text) for text in texts]


def load_yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ood_texts(path: Path = OOD_SET) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle, delimiter="\t")]


def in_domain_texts() -> list[str]:
    from tools.nlu_eval import load_examples

    return [e["text"] for e in load_examples(HELDOUT_FILES) if e["intent"] not in {"out_of_scope", "non_english"}]


def resolved(query: Any, kb: Any) -> tuple[frozenset[str], str | None]:
    """The roles and the aspect an answer to `query` covers (empty roles: it asks which role)."""
    from bot.questions import Kind

    if query is None:
        return frozenset(), None
    both = frozenset(r.id for r in kb.roles)
    aspect = query.topic if query.kind is Kind.UNCOVERED else query.aspect
    if query.kind in (Kind.COMPARE_ALL, Kind.COMPARE_ASPECT):
        return both, aspect
    if query.kind is Kind.ASK_ROLE:
        return frozenset(), aspect
    return (frozenset({query.role}) if query.role else both), aspect


def answered_aspect(parse: dict[str, Any], query: Any, kb: Any) -> str | None:
    """The topic the assistant answers with: the facts' topic for a fact-level answer, else the query's."""
    from bot import facts

    answer = facts.answer(kb, query, parse) if query is not None else None
    return answer.aspect if answer is not None else resolved(query, kb)[1]


def fact_figures(kb: Any, fact_questions: list[dict[str, Any]], parses: list[dict[str, Any]]) -> dict[str, Any]:
    """Fact accuracy on specific questions, and how often generic ones got facts instead of their topic."""
    from bot import facts
    from bot.questions import Context, understand

    errors, specific, generic, given_facts = [], 0, 0, 0
    for question, parse in zip(fact_questions, parses, strict=True):
        query = understand(parse, Context(), kb)
        answer = facts.answer(kb, query, parse) if query is not None else None
        got = list(answer.facts) if answer is not None else []
        if question.get("facts"):
            specific += 1
            if not got or got[0] not in question["facts"]:
                errors.append({"text": question["text"], "expected": question["facts"], "got": got})
        else:
            generic += 1
            if got:
                given_facts += 1
                errors.append({"text": question["text"], "expected": None, "got": got})
    wrong_specific = sum(1 for e in errors if e["expected"])
    return {"fact_accuracy": 1 - wrong_specific / specific if specific else None, "fact_questions": specific,
            "generic_given_facts": given_facts / generic if generic else None, "generic_questions": generic,
            "fact_errors": errors}


def measure(model: Path, *, ood: Path | None = OOD_SET) -> dict[str, Any]:
    from bot import knowledge
    from bot.questions import Context, understand

    kb = knowledge.load()
    questions = load_yaml(ASPECT_SET)["questions"]
    exchanges = load_yaml(CONTEXT_SET)["exchanges"]
    fact_questions = load_yaml(FACT_SET)["questions"]
    inside = in_domain_texts()
    outside = ood_texts(ood) if ood is not None and ood.is_file() else []
    texts = ([q["text"] for q in questions] + [x["first"] for x in exchanges] + [x["then"] for x in exchanges]
             + [q["text"] for q in fact_questions] + inside + outside)
    parses = asyncio.run(parse_all(model, texts))
    cursor = 0

    def take(n: int) -> list[dict[str, Any]]:
        nonlocal cursor
        chunk = parses[cursor:cursor + n]
        cursor += n
        return chunk

    aspect_parses, firsts, thens = take(len(questions)), take(len(exchanges)), take(len(exchanges))
    fact_parses = take(len(fact_questions))
    inside_parses, outside_parses = take(len(inside)), take(len(outside))

    aspect_errors, answered_right = [], 0
    for question, parse in zip(questions, aspect_parses, strict=True):
        query = understand(parse, Context(), kb)
        _, aspect = resolved(query, kb)
        answered_right += answered_aspect(parse, query, kb) == question["aspect"]
        if aspect != question["aspect"]:
            aspect_errors.append({"text": question["text"], "expected": question["aspect"], "got": aspect,
                                  "intent": parse["intent"]["name"]})

    context_errors = []
    for exchange, first, then in zip(exchanges, firsts, thens, strict=True):
        query = understand(first, Context(), kb)
        context = query.context if query is not None else Context()
        if then["intent"]["name"] in SAME_TOPIC:  # "go on", "tl;dr": the same role(s) and topic again
            roles, aspect = resolved(query, kb)
        else:
            roles, aspect = resolved(understand(then, context, kb), kb)
        expected = exchange["expect"]
        if roles != frozenset(expected["roles"]) or aspect != expected["aspect"]:
            context_errors.append({"first": exchange["first"], "then": exchange["then"], "kind": exchange["kind"],
                                   "expected": [sorted(expected["roles"]), expected["aspect"]],
                                   "got": [sorted(roles), aspect], "intent": then["intent"]["name"]})

    threshold = gate_threshold()
    declined = [{"text": p["text"], "score": p.get("domain_score")} for p in inside_parses
                if p.get("domain_score") is not None and p["domain_score"] < threshold]
    answered = [{"text": p["text"], "intent": p["intent"]["name"]} for p in outside_parses
                if p["intent"]["name"] not in NOT_ANSWERING]
    return {
        "aspect_accuracy": 1 - len(aspect_errors) / len(questions),
        "aspect_questions": len(questions),
        "aspect_accuracy_answered": answered_right / len(questions),
        **fact_figures(kb, fact_questions, fact_parses),
        "context_accuracy": 1 - len(context_errors) / len(exchanges),
        "context_exchanges": len(exchanges),
        "false_decline_rate": len(declined) / len(inside),
        "in_domain_messages": len(inside),
        "false_answer_rate": len(answered) / len(outside) if outside else None,
        "out_of_domain_messages": len(outside),
        "aspect_errors": aspect_errors,
        "context_errors": context_errors,
        "declined": declined,
        "answered": answered,
    }


def summary(result: dict[str, Any]) -> str:
    lines = [
        f"aspect accuracy {result['aspect_accuracy']:.3f} ({result['aspect_questions']} blind questions)",
        f"aspect accuracy as answered (facts' topic where facts answer) {result['aspect_accuracy_answered']:.3f}",
        f"context accuracy {result['context_accuracy']:.3f} ({result['context_exchanges']} blind exchanges)",
        f"fact accuracy {result['fact_accuracy']:.3f} ({result['fact_questions']} blind questions about one fact); "
        f"generic questions given facts {result['generic_given_facts']:.3f} (of {result['generic_questions']})",
        f"false-decline rate {result['false_decline_rate']:.4f} ({result['in_domain_messages']} in-domain held-out messages)",
    ]
    if result["false_answer_rate"] is None:
        lines.append(f"false-answer rate: skipped, {OOD_SET} not found")
    else:
        lines.append(f"false-answer rate {result['false_answer_rate']:.4f} "
                     f"({result['out_of_domain_messages']} out-of-domain requests)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "career.tar.gz")
    parser.add_argument("--ood", type=Path, default=OOD_SET)
    parser.add_argument("--report", type=Path, default=ROOT / "results" / "understanding.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = measure(args.model, ood=args.ood)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(summary(result))
    if args.verbose:
        for e in result["aspect_errors"]:
            print(f"  ASPECT {e['expected']:>16} -> {e['got']!s:<16} [{e['intent']}] {e['text']}")
        for e in result["context_errors"]:
            print(f"  CONTEXT {e['kind']:<13} {e['expected']} -> {e['got']} [{e['intent']}] {e['first']} || {e['then']}")
        for e in result["fact_errors"]:
            print(f"  FACT {e['expected']} -> {e['got']} {e['text']}")
        for e in result["declined"]:
            print(f"  DECLINED {e['score']:.3f} {e['text']}")
        for e in result["answered"][:60]:
            print(f"  ANSWERED {e['intent']:<18} {e['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
