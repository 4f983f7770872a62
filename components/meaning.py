"""Understanding by meaning: is a message about our domain at all, and which topic does it mean?

Both components compare the message's sentence embedding (all-MiniLM-L6-v2, mean-pooled and
normalised: `SENTENCE_EMBEDDING`, set by components/minilm_featurizer.py) with the training
examples' embeddings, so they cost a matrix product per message and no second model pass.

- `OpenWorldGate` (an intent classifier, after DIET and the FallbackClassifier): a message whose
  nearest in-domain examples are far away, relative to its nearest out-of-scope examples, is
  out of scope, whatever intent DIET forced it into. DIET is closed-world: every message lands
  in one of our intents, and its confidence says little about messages unlike all of them.
- `MeaningAspectExtractor` (an entity extractor): the topic (aspect) a role question means, for
  the questions that name it without any word of the lexicon ("what would a hiring panel want
  to see?" is about skills). The ruler's exact terms still come first; see `aspect_entity`.
  It also reads the sparse word counts, so it costs a second small matrix product.

Both are trained from data/*.yml: the intents say what is in and out of the domain, and the
aspect of an example is its block's `metadata: {aspect: ...}` or else the aspect the entity
ruler finds in it. docs/understanding.md has the method and the measured figures.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse

from components.minilm_featurizer import SENTENCE_EMBEDDING

Vectors = np.ndarray[Any, Any]

OUT_OF_SCOPE = "out_of_scope"
#: Labels that are not part of the domain: the out-of-scope examples, and what the gates set.
NOT_IN_DOMAIN = frozenset({OUT_OF_SCOPE, DEFAULT_NLU_FALLBACK_INTENT_NAME, "non_english"})
#: The intents of questions about the roles: the only messages given a topic by meaning.
ROLE_QUESTIONS = frozenset({"ask_aspect", "ask_role_overview", "compare_roles", "ask_followup", "deny",
                            DEFAULT_NLU_FALLBACK_INTENT_NAME})
#: Role-question intents that are not questions as such: a topic from meaning alone needs more confidence.
GUARDED = frozenset({"deny", DEFAULT_NLU_FALLBACK_INTENT_NAME})
#: The intents that ask about the roles themselves.
ROLE_QUESTION_INTENTS = ROLE_QUESTIONS - GUARDED
COMPARISON = "compare_roles"
#: What the classifier may call a short topic question it could not place ("stable?" is not "how are you?").
UNPLACED = frozenset({OUT_OF_SCOPE, DEFAULT_NLU_FALLBACK_INTENT_NAME, "how_are_you", "who_made_you", "bot_challenge"})
#: The intent such a question gets.
TOPIC_QUESTION = "ask_aspect"
#: The label for role questions that mean no topic of their own ("and the other one?").
NO_ASPECT = "none"
OVERVIEW = "overview"
ASPECT = "aspect"


def sentence_vector(message: Message) -> Vectors | None:
    """The message's unit-length sentence embedding, or None if it has none."""
    pooled = message.get(SENTENCE_EMBEDDING)
    if pooled is not None:
        return np.asarray(pooled, dtype=np.float32)
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        return None
    vector = np.asarray(sentence.features, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


def _is_payload(message: Message) -> bool:
    text = message.get(TEXT) or ""
    return not text or text.startswith("/")


def top_k_mean(similarities: Vectors, k: int) -> Vectors:
    """Mean of the k largest values of each row (all of them if a row has fewer)."""
    k = min(k, similarities.shape[1])
    if k == 0:
        return np.zeros(similarities.shape[0], dtype=np.float32)
    top: Vectors = np.partition(similarities, -k, axis=1)[:, -k:].mean(axis=1)
    return top


class _Stored(GraphComponent):
    """Shared by both components: arrays saved in the model archive as one .npz file."""

    FILE = "arrays.npz"

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 arrays: dict[str, Vectors] | None = None) -> None:
        self.config = config
        self._storage = model_storage
        self._resource = resource
        self.arrays = arrays or {}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> _Stored:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> _Stored:
        try:
            with model_storage.read_from(resource) as directory, np.load(directory / cls.FILE, allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
        except ValueError:  # not trained (an empty pipeline run): behave as a no-op
            arrays = {}
        return cls(config, model_storage, resource, arrays)

    def persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            np.savez(directory / self.FILE, **self.arrays)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class OpenWorldGate(_Stored):
    """Sets `out_of_scope` on messages far from every in-domain training example.

    The score is the mean similarity to the `k` nearest in-domain examples minus
    `out_weight` times that to the `k` nearest out-of-scope examples; below `threshold`, the
    message is out of scope. The threshold is calibrated by `make nlu-report` on everyday
    requests from outside the domain and on our held-out in-domain sets.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"k": 5, "out_weight": 0.5, "threshold": 0.3, "short_message_words": 8,
                "short_question_min_score": 0.22}

    def train(self, training_data: TrainingData) -> Resource:
        inside: list[Vectors] = []
        outside: list[Vectors] = []
        for example in training_data.intent_examples:
            vector = sentence_vector(example)
            if vector is None:
                continue
            (outside if example.get(INTENT) in NOT_IN_DOMAIN else inside).append(vector)
        dim = len(inside[0]) if inside else 0
        self.arrays = {
            "inside": np.asarray(inside, dtype=np.float32).reshape(-1, dim),
            "outside": np.asarray(outside, dtype=np.float32).reshape(-1, dim),
        }
        self.persist()
        return self._resource

    def score(self, vectors: Vectors) -> Vectors:
        """In-domain score of each row of `vectors` (unit length): higher is more in the domain."""
        k = int(self.config["k"])
        inside = top_k_mean(vectors @ self.arrays["inside"].T, k)
        if len(self.arrays["outside"]) == 0:
            return inside
        score: Vectors = inside - float(self.config["out_weight"]) * top_k_mean(vectors @ self.arrays["outside"].T, k)
        return score

    def process(self, messages: list[Message]) -> list[Message]:
        if not self.arrays or len(self.arrays["inside"]) == 0:
            return messages
        for message in messages:
            vector = None if _is_payload(message) else sentence_vector(message)
            if vector is None:
                continue
            score = float(self.score(vector[None, :])[0])
            message.set("domain_score", round(score, 4), add_to_output=True)
            if self.short_topic_question(message, score):
                overrule(message, TOPIC_QUESTION)
            elif score < float(self.config["threshold"]):
                overrule(message, OUT_OF_SCOPE)
            else:
                unsure = self.unsure_topic_question(message)
                if unsure is not None:
                    overrule(message, unsure)
        return messages

    def short_topic_question(self, message: Message, score: float) -> bool:
        """A few words naming one of our topics ("which languages exactly?", "and overtime?",
        "salary?") that the classifier could not place: a question about that topic, asked in
        passing. Not when it speaks of "my" something (a personal errand), nor when it is far from
        the domain: "where should we eat tonight?" names no topic of ours, whatever "where" means here."""
        intent = (message.get(INTENT) or {}).get("name")
        if intent not in UNPLACED or score < float(self.config["short_question_min_score"]):
            return False
        words = (message.get(TEXT) or "").lower().split()
        if "my" in words:  # "what's my salary?", "has my vacation been approved?": a personal errand
            return False
        return len(words) <= int(self.config["short_message_words"]) and any(
            e.get("entity") == ASPECT for e in message.get(ENTITIES) or [])

    @staticmethod
    def unsure_topic_question(message: Message) -> str | None:
        """The role-question intent for a message DIET was unsure of that names one of our topics
        exactly and whose likeliest intent is a role question ("I'm a professor advising
        undergrads. How would you summarise the difference in focus between the two roles?"):
        answering beats asking "did you mean ...?". None for anything else."""
        if (message.get(INTENT) or {}).get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME:
            return None
        ranking = [r.get("name") for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME]
        if not ranking or ranking[0] not in ROLE_QUESTION_INTENTS:
            return None
        named = any(e.get("entity") == ASPECT and e.get("value") != OVERVIEW for e in message.get(ENTITIES) or [])
        return str(ranking[0]) if named else None


def overrule(message: Message, intent: str) -> None:
    """Set `intent` with confidence 1, in front of the classifier's own ranking (kept for the fallback).
    components/message_gate.py overrules the same way."""
    verdict = {"name": intent, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, verdict, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [verdict, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class MeaningAspectExtractor(_Stored):
    """The aspect a role question means: a linear classifier over the message's features.

    Its inputs are the sentence embedding and the sparse word and character n-gram counts the
    pipeline already computed (what DIET reads too); its labels come from `training_label`. It adds
    one `aspect` entity (extractor `MeaningAspectExtractor`); `aspect_entity` says when.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C: inverse regularisation of the logistic regression, chosen on the training data.
        # min_confidence_guarded, guarded_min_words: the same for a "no" or a message DIET could not
        # place, where a topic from meaning alone turns "nope, not interested" into a correction.
        # refer_back_*: when an out-of-scope message that refers back to the job is a topic question.
        # narrower: a topic inside another ({programming: skills}): meaning does not narrow the ruler's word to it.
        return {"C": 100.0, "min_confidence": 0.3, "min_confidence_guarded": 0.6, "guarded_min_words": 5,
                "compare_topic_min": 0.2, "narrower": {},
                "override_confidence": 0.7, "override_below": 0.1, "refer_back_min_score": 0.22,
                "refer_back_confidence": 0.8}

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        rows, labels = [], []
        for example in training_data.intent_examples:
            label = training_label(example)
            features = combined_features(example)
            if label is not None and features is not None:
                rows.append(features)
                labels.append(label)
        if len(set(labels)) < 2:
            self.arrays = {}
            self.persist()
            return self._resource
        classifier = LogisticRegression(C=float(self.config["C"]), max_iter=3000)
        classifier.fit(sparse.vstack(rows).tocsr(), labels)
        self.arrays = {"coef": classifier.coef_.astype(np.float32), "intercept": classifier.intercept_.astype(np.float32),
                       "labels": np.asarray(classifier.classes_, dtype=np.str_)}
        self.persist()
        return self._resource

    def distribution(self, features: Any) -> dict[str, float]:
        """Each label's probability for one message's combined features."""
        logits = np.asarray(features @ self.arrays["coef"].T).reshape(-1) + self.arrays["intercept"]
        logits = logits - logits.max()
        odds = np.exp(logits)
        probabilities = odds / odds.sum()
        return {str(label): float(p) for label, p in zip(self.arrays["labels"], probabilities, strict=True)}

    def process(self, messages: list[Message]) -> list[Message]:
        if "coef" not in self.arrays:
            return messages
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if _is_payload(message) or not self._may_mean_a_topic(message, intent):
                continue
            features = combined_features(message)
            if features is None or features.shape[1] != self.arrays["coef"].shape[1]:
                continue
            distribution = self.distribution(features)
            entities = list(message.get(ENTITIES) or [])
            if intent == OUT_OF_SCOPE:
                entity = self.referring_topic_question(message, distribution)
                if entity is not None:
                    overrule(message, TOPIC_QUESTION)
            else:
                found = [str(e.get("value")) for e in entities if e.get("entity") == ASPECT]
                entity = aspect_entity(distribution, found, self.config, len(message.get(TEXT) or ""),
                                       guarded=intent in GUARDED, comparison=intent == COMPARISON)
            if entity is not None:
                message.set(ENTITIES, [*entities, {**entity, "extractor": type(self).__name__}], add_to_output=True)
        return messages

    def _may_mean_a_topic(self, message: Message, intent: str | None) -> bool:
        """The cheap checks first, so most messages never reach the classifier."""
        if intent == OUT_OF_SCOPE:
            return refers_back(message, self.config)
        if intent in GUARDED:  # "nope, not interested": a plain no, not a correction to some topic
            return len((message.get(TEXT) or "").split()) >= int(self.config["guarded_min_words"])
        return intent in ROLE_QUESTIONS

    def referring_topic_question(self, message: Message, distribution: dict[str, float]) -> dict[str, Any] | None:
        """The topic of an out-of-scope message that is about "this" job after all, or None.

        "what's buzzing in that area at the moment?", "which schools come out on top for this
        field?": the words that would place it in our domain point back at the conversation, so
        the nearest examples are far. It is a topic question when it refers back ("this", "that
        field", "these jobs"), is not a personal errand ("my"), is not far from the domain either
        (`refer_back_min_score`), and the classifier is sure of one topic (`refer_back_confidence`).
        """
        if not refers_back(message, self.config):
            return None
        best, confidence = likeliest_topic(distribution)
        if best == OVERVIEW or confidence < float(self.config["refer_back_confidence"]):
            return None
        return _entity(best, confidence, len(message.get(TEXT) or ""))


def refers_back(message: Message, config: dict[str, Any]) -> bool:
    """Near the domain, not a personal errand ("my"), and pointing back at the job ("this", "that field")."""
    text = message.get(TEXT) or ""
    score = message.get("domain_score")
    return (score is not None and score >= float(config["refer_back_min_score"])
            and not _PERSONAL.search(text) and bool(_REFERS_BACK.search(text)))


#: A pronoun standing alone ("go for this, or ...?", "in this") or a pointer to the job or field.
_REFERS_BACK = re.compile(
    r"\b(?:this|that|it)\b(?=\s*(?:[,.?!;]|$)|\s+(?:or|and|but)\b)|"
    r"\b(?:this|that|these|those|the same)\s+(?:fields?|jobs?|roles?|areas?|careers?|paths?|line of work|"
    r"kind of (?:job|work)|professions?|positions?|industry)\b",
    re.IGNORECASE,
)
#: "my salary", "my vacation days": an errand of the user's own, not a question about the roles.
_PERSONAL = re.compile(r"\bmy\b", re.IGNORECASE)


def combined_features(message: Message) -> Any:
    """One row: the unit sentence embedding next to the unit-length log word and n-gram counts."""
    vector = sentence_vector(message)
    _, counts = message.get_sparse_features(TEXT)
    if vector is None or counts is None:
        return None
    row = sparse.csr_matrix(counts.features, dtype=np.float32)
    row.data = np.log1p(row.data)
    norm = float(np.sqrt(row.multiply(row).sum()))
    if norm > 0:
        row = row / norm
    return sparse.hstack([sparse.csr_matrix(vector[None, :]), row]).tocsr()


def aspect_entity(distribution: dict[str, float], found: list[str], config: dict[str, Any],
                  length: int, *, guarded: bool = False, comparison: bool = False) -> dict[str, Any] | None:
    """The aspect entity to add, given the classifier's distribution and the ruler's aspects.

    With no aspect from the ruler (the overview's words, "overall", "in general", do not count):
    the likeliest label, if it is likely enough (`min_confidence`, or `min_confidence_guarded` for a
    `guarded` message: a "no", or one DIET could not place) and not `none`; for a `comparison`,
    the likeliest topic if `none` leads but that topic still has `compare_topic_min`.
    With several: the likeliest of them. With one, an exact term, it stands, unless the classifier
    is sure of another and gives the ruler's next to no chance: a loose lexicon word ("where do
    they end up?" is not about the workplace) must not outvote the meaning of the whole message.
    A topic inside the ruler's (`narrower`: languages and tools inside skills) never outvotes it:
    "what does an MLOps engineer need to know?" asks for the skills, tools included.
    """
    best, confidence = max(distribution.items(), key=lambda item: item[1])
    found = [a for a in found if a != OVERVIEW]  # "overall", "in general": no topic of its own
    if comparison and best == NO_ASPECT and not found:
        # "which one brings in more dough?": comparisons are mostly taught without a topic, so
        # `none` leads even when the question has one; a clear runner-up topic is what it means.
        best, confidence = likeliest_topic(distribution)
        return _entity(best, confidence, length) if confidence >= float(config["compare_topic_min"]) else None
    if len(set(found)) == 1:
        ruler = found[0]
        if (best in (ruler, NO_ASPECT) or (config.get("narrower") or {}).get(best) == ruler
                or confidence < float(config["override_confidence"])
                or distribution.get(ruler, 0.0) >= float(config["override_below"])):
            return None
    elif found:
        best = max(set(found), key=lambda a: distribution.get(a, 0.0))
        confidence = distribution.get(best, 0.0)
    elif best == NO_ASPECT or confidence < float(config["min_confidence_guarded" if guarded else "min_confidence"]):
        return None
    return _entity(best, confidence, length)


def likeliest_topic(distribution: dict[str, float]) -> tuple[str, float]:
    """The likeliest label other than `none`, with its probability."""
    return max(((a, p) for a, p in distribution.items() if a != NO_ASPECT), key=lambda item: item[1],
               default=(NO_ASPECT, 0.0))


def _entity(value: str, confidence: float, length: int) -> dict[str, Any]:
    return {"entity": ASPECT, "value": value, "start": 0, "end": length, "confidence": round(confidence, 4)}


def training_label(example: Message) -> str | None:
    """The aspect an example is labelled with, `none` for role questions that mean none, or None.

    A block's `metadata: {aspect: ...}` wins; else the single aspect the entity ruler finds in
    the text; else overviews, follow-ups and comparisons mean no topic of their own (`none`:
    the overview, or the topic in context, follows from the intent and the conversation).
    """
    intent = example.get(INTENT)
    metadata = (example.get(METADATA) or {}).get(METADATA_INTENT) or {}
    if isinstance(metadata, dict) and metadata.get(ASPECT):
        return str(metadata[ASPECT])
    if intent not in ROLE_QUESTIONS:
        return None
    doc = example.get("text_spacy_doc")
    aspects = {str(ent.ent_id_) for ent in getattr(doc, "ents", ()) if ent.label_ == ASPECT}
    if len(aspects) == 1:
        return aspects.pop()
    if aspects:
        return None
    if intent in ("ask_role_overview", "ask_followup", "compare_roles"):
        return NO_ASPECT
    return None
