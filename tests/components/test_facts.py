"""The fact retriever: which examples teach a fact, and when a message is said to ask about one."""
from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import numpy as np
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.facts import FACTS, FactRetriever, fact_of
from components.minilm_featurizer import SENTENCE_EMBEDDING

CONFIG: dict[str, Any] = {"min_score": 0.6, "k": 1, "margin": 0.0, "spread": 0.08, "max_facts": 3}


def unit(*values: float) -> np.ndarray[Any, Any]:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def example(text: str, intent: str, vector: np.ndarray[Any, Any], fact: str | None = None) -> Message:
    data: dict[str, Any] = {"text": text, "intent": intent, SENTENCE_EMBEDDING: vector}
    if fact is not None:
        data["metadata"] = {"intent": {"fact": fact, "aspect": "responsibilities"}}
    return Message(data=data)


def trained() -> FactRetriever:
    retriever = FactRetriever(CONFIG, MagicMock(), MagicMock())
    retriever.persist = MagicMock()  # type: ignore[method-assign]
    retriever.train(TrainingData([
        example("which of the two builds chatbots?", "compare_roles", unit(1, 0, 0, 0), "engineer:systems"),
        example("do they build chatbots", "ask_aspect", unit(0.9, 0.1, 0, 0), "engineer:systems"),
        example("who runs benchmarks", "compare_roles", unit(0, 1, 0, 0), "scientist:benchmarks"),
        example("what does an engineer do?", "ask_aspect", unit(0, 0, 1, 0)),
        example("hello there", "greet", unit(0, 0, 0, 1)),
    ]))
    return retriever


def test_a_blocks_metadata_names_the_fact_it_teaches() -> None:
    assert fact_of(example("do they build chatbots", "ask_aspect", unit(1, 0), "engineer:systems")) == "engineer:systems"
    assert fact_of(example("what does an engineer do?", "ask_aspect", unit(1, 0))) is None


def test_a_question_nearest_a_fact_gets_that_fact_first() -> None:
    found = trained().nearest(unit(1, 0.05, 0, 0))
    assert [f["fact"] for f in found] == ["engineer:systems"]
    assert found[0]["score"] > 0.99


def test_a_question_nearer_a_generic_example_gets_no_fact() -> None:
    assert trained().nearest(unit(0.6, 0, 0.8, 0)) == []


def test_a_question_far_from_every_fact_gets_none() -> None:
    assert trained().nearest(unit(0.3, 0.3, 0, 0.9)) == []


def test_facts_within_the_spread_of_the_best_come_along() -> None:
    both = trained().nearest(unit(0.9, 1, 0, 0))
    assert [f["fact"] for f in both] == ["engineer:systems", "scientist:benchmarks"]


def test_small_talk_is_not_a_generic_role_question() -> None:
    """Greetings do not count against facts: only role questions do."""
    assert trained().arrays["generic"].shape[0] == 1


def test_process_adds_facts_only_to_questions_in_the_domain() -> None:
    retriever = trained()
    def message(text: str, intent: str) -> Message:
        return Message(data={"text": text, "intent": {"name": intent}, SENTENCE_EMBEDDING: unit(1, 0, 0, 0)})

    asked, away, button = (message("which one builds chatbots", "compare_roles"), message("book a flight", "out_of_scope"),
                           message("/compare_roles", "compare_roles"))
    retriever.process([asked, away, button])
    assert [f["fact"] for f in asked.get(FACTS)] == ["engineer:systems"]
    assert away.get(FACTS) is None and button.get(FACTS) is None
