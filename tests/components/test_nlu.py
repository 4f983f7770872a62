"""NLU quality on utterances the model never saw, with floors that fail the build."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.nlu_eval import GENERAL, HELDOUT_FILES, INTERVIEW, evaluate, summary

ROOT = Path(__file__).resolve().parents[2]
# Floors sit below the worst of three training seeds (`make nlu-report`, 2026-12-01, second sitting:
# general 0.936, entity 0.969, interview 0.798), with margin: one machine trains the same seed to a different
# model than another (docs/understanding.md), and the general set grew to 1,009 utterances, a
# fifth of them a blind set in many voices, so its figures sit lower than the old 485's did.
INTENT_MACRO_F1_FLOOR = 0.91
ENTITY_F1_FLOOR = 0.95
# The interview intents are the hardest to tell apart (an answer such as "a startup" is also a topic
# word, and "I love puzzles, would I enjoy research?" is a question about who a role suits).
# Its small intents (30 training examples each) move it by several points from one training to the
# next (0.80 to 0.86 over three seeds).
INTERVIEW_INTENT_MACRO_F1_FLOOR = 0.76
MIN_HELDOUT = 300
# The general sets together: large enough that one miss costs under 0.2 points of accuracy.
MIN_GENERAL = 800


def examples(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plain = [re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", line.strip()[2:]).strip().lower()
             for block in data["nlu"] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    return plain


def test_heldout_is_large_and_disjoint_from_training() -> None:
    heldout = [e for path in HELDOUT_FILES for e in examples(path)]
    training = {e for path in sorted((ROOT / "data").glob("nlu*.yml")) for e in examples(path)}
    assert len(heldout) >= MIN_HELDOUT
    assert not [e for e in heldout if e in training], "held-out utterances must not be in the training data"


@pytest.fixture(scope="module")
def result(trained_model: Path) -> dict[str, Any]:
    outcome = evaluate(trained_model, GENERAL)
    print(summary(outcome, label="general held-out"))
    return outcome


@pytest.fixture(scope="module")
def interview_result(trained_model: Path) -> dict[str, Any]:
    outcome = evaluate(trained_model, INTERVIEW)
    print(summary(outcome, label="interview held-out"))
    return outcome


@pytest.mark.model
def test_intent_macro_f1_floor(result: dict[str, Any]) -> None:
    assert sum(len(examples(path)) for path in GENERAL) >= MIN_GENERAL
    assert result["intent_macro_f1"] >= INTENT_MACRO_F1_FLOOR, summary(result)


@pytest.mark.model
def test_entity_f1_floor(result: dict[str, Any]) -> None:
    assert result["entity_f1"] >= ENTITY_F1_FLOOR, summary(result)


@pytest.mark.model
def test_interview_intent_floor(interview_result: dict[str, Any]) -> None:
    # Entities are floored on the general set: this one has only a handful of role mentions.
    assert interview_result["intent_macro_f1"] >= INTERVIEW_INTENT_MACRO_F1_FLOOR, summary(interview_result)
