"""Which facts of the knowledge base a question asks about, by meaning.

A question about one point ("which of the two builds chatbots?", "do they have to present at
conferences?") deserves that point, not the whole section its topic names. The facts'
example questions are training data (data/nlu_facts.yml: each block's `metadata: {fact: ...}`
names a point of bot/roles.yml as `<role id>:<point id>`); every other role question is a generic
example ("what skills do engineers need?"). A message whose nearest fact examples are about as
close as its nearest generic ones (the mean of the `k` best on each side, within `margin`), and
close in absolute terms, asks about a fact: the component
adds `facts` to the parse data, the best few with their similarity, and the actions answer with
them (actions/role_questions.py). Otherwise it adds nothing and the section answers as before.

It reads the sentence embedding the pipeline already computed: one matrix product per message.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_INTENT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.meaning import NOT_IN_DOMAIN, ROLE_QUESTIONS, Vectors, _is_payload, _Stored, sentence_vector, top_k_mean

#: The parse-data key the actions read: a list of {"fact": "<role id>:<point id>", "score": float}.
FACTS = "facts"
FACT = "fact"


def fact_of(example: Message) -> str | None:
    """The fact an example asks about (its block's `metadata: {fact: ...}`), or None."""
    metadata = (example.get(METADATA) or {}).get(METADATA_INTENT) or {}
    fact = metadata.get(FACT) if isinstance(metadata, dict) else None
    return str(fact) if fact else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class FactRetriever(_Stored):
    """Adds `facts` to messages that ask about particular points of the knowledge base.

    - `min_score`: the nearest fact example must be at least this similar (cosine);
    - `k`, `margin`: the mean similarity of the `k` nearest fact examples must be at least that of
      the `k` nearest generic role questions plus `margin` (negative: a fact may be a little farther,
      since generic questions outnumber fact examples about seven to one);
    - `spread`, `max_facts`: the facts kept are those within `spread` of the best, at most `max_facts`.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_score": 0.5, "k": 5, "margin": -0.05, "spread": 0.08, "max_facts": 3}

    def train(self, training_data: TrainingData) -> Resource:
        facts: list[Vectors] = []
        labels: list[str] = []
        generic: list[Vectors] = []
        for example in training_data.intent_examples:
            vector = sentence_vector(example)
            if vector is None:
                continue
            fact = fact_of(example)
            if fact is not None:
                facts.append(vector)
                labels.append(fact)
            elif example.get(INTENT) in ROLE_QUESTIONS:
                generic.append(vector)
        dim = len(facts[0]) if facts else 0
        self.arrays = {} if not facts else {
            "facts": np.asarray(facts, dtype=np.float32),
            "labels": np.asarray(labels, dtype=np.str_),
            "generic": np.asarray(generic, dtype=np.float32).reshape(-1, dim),
        }
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if "facts" not in self.arrays:
            return messages
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if _is_payload(message) or intent in NOT_IN_DOMAIN:
                continue
            vector = sentence_vector(message)
            if vector is None:
                continue
            found = self.nearest(vector)
            if found:
                message.set(FACTS, found, add_to_output=True)
        return messages

    def nearest(self, vector: Vectors) -> list[dict[str, Any]]:
        """The facts one unit-length sentence embedding asks about, best first; [] for none."""
        similarity = self.arrays["facts"] @ vector
        k = int(self.config["k"])
        generic = float(top_k_mean((self.arrays["generic"] @ vector)[None, :], k)[0]) if len(self.arrays["generic"]) else 0.0
        fact_side = float(top_k_mean(similarity[None, :], k)[0])
        best: dict[str, float] = {}
        for label, score in zip(self.arrays["labels"], similarity, strict=True):
            label = str(label)
            if score > best.get(label, -1.0):
                best[label] = float(score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        if not ranked:
            return []
        top = ranked[0][1]
        if top < float(self.config["min_score"]) or fact_side < generic + float(self.config["margin"]):
            return []
        kept = [(f, s) for f, s in ranked if s >= top - float(self.config["spread"])][: int(self.config["max_facts"])]
        return [{FACT: f, "score": round(s, 4)} for f, s in kept]
