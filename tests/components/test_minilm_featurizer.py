"""The compiled MiniLM featurizer: the same features as Rasa's eager one, and one for every token."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.minilm_featurizer import CompiledLanguageModelFeaturizer

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = ROOT / "build" / "minilm"


@pytest.fixture(scope="module")
def featurizer() -> Iterator[CompiledLanguageModelFeaturizer]:
    if not (WEIGHTS / "model.safetensors").exists():
        pytest.fail(f"no MiniLM weights in {WEIGHTS}: run `make build` (make test does it for you)")
    config = {**CompiledLanguageModelFeaturizer.get_default_config(), "model_name": "bert",
              "model_weights": str(WEIGHTS)}
    yield CompiledLanguageModelFeaturizer(config, ExecutionContext(GraphSchema({}), node_name="minilm"))


def featurised(featurizer: CompiledLanguageModelFeaturizer, text: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Sentence feature, sequence features and the number of tokens, for one message."""
    message = Message({TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT, [])
    assert sequence is not None and sentence is not None
    return sentence.features[0], sequence.features, len(message.get("text_tokens"))


def test_the_compiled_graph_gives_the_eager_models_features(featurizer: CompiledLanguageModelFeaturizer) -> None:
    text = "what skills does an engineer need"
    sentence, sequence, _ = featurised(featurizer, text)
    ids = featurizer.tokenizer(text, return_tensors="np")
    eager = featurizer.model(ids["input_ids"], attention_mask=ids["attention_mask"])[0].numpy()[0]
    np.testing.assert_allclose(sentence, eager[0], atol=1e-4)  # [CLS], as Rasa takes it for BERT models
    np.testing.assert_allclose(sequence, eager[1:-1], atol=1e-4)  # one word piece a token here


@pytest.mark.parametrize("text", ["how about this 😶‍🌫️ one", "ok ❤️‍🔥", "research vs engineering"])
def test_every_token_gets_a_feature_even_those_wordpiece_drops(featurizer: CompiledLanguageModelFeaturizer,
                                                                text: str) -> None:
    _, sequence, tokens = featurised(featurizer, text)
    assert sequence.shape == (tokens, 384)
