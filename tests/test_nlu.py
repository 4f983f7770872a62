"""NLU quality on utterances the model never saw, with floors that fail the build."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.nlu_eval import evaluate, summary

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
INTENT_MACRO_F1_FLOOR = 0.95
ENTITY_F1_FLOOR = 0.95
MIN_HELDOUT = 150


def examples(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plain = [re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", line.strip()[2:]).strip().lower()
             for block in data["nlu"] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    return plain


def test_heldout_is_large_and_disjoint_from_training() -> None:
    heldout, training = examples(HELDOUT), set(examples(ROOT / "data" / "nlu.yml"))
    assert len(heldout) >= MIN_HELDOUT
    assert not [e for e in heldout if e in training], "held-out utterances must not be in data/nlu.yml"


@pytest.fixture(scope="module")
def result(trained_model: Path) -> dict[str, Any]:
    outcome = evaluate(trained_model, HELDOUT)
    print(summary(outcome))
    return outcome


@pytest.mark.model
def test_intent_macro_f1_floor(result: dict[str, Any]) -> None:
    assert result["intent_macro_f1"] >= INTENT_MACRO_F1_FLOOR, summary(result)


@pytest.mark.model
def test_entity_f1_floor(result: dict[str, Any]) -> None:
    assert result["entity_f1"] >= ENTITY_F1_FLOOR, summary(result)
