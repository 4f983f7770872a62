"""The meaning-based components: which aspect entity is added, and what each training example teaches."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message

from components.meaning import NO_ASPECT, MeaningAspectExtractor, OpenWorldGate, aspect_entity, top_k_mean, training_label

CONFIG: dict[str, Any] = {"min_confidence": 0.3, "min_confidence_guarded": 0.6, "compare_topic_min": 0.2,
                          "override_confidence": 0.7, "override_below": 0.1}


def test_no_aspect_from_the_words_takes_the_likeliest_meaning() -> None:
    entity = aspect_entity({"skills": 0.7, "education": 0.2, NO_ASPECT: 0.1}, [], CONFIG, 20)
    assert entity == {"entity": "aspect", "value": "skills", "start": 0, "end": 20, "confidence": 0.7}


@pytest.mark.parametrize("distribution", [{"skills": 0.25, "education": 0.2, NO_ASPECT: 0.55},
                                          {"skills": 0.28, "education": 0.27, "career": 0.25, "trends": 0.2}])
def test_no_aspect_is_added_when_the_meaning_is_none_or_unsure(distribution: dict[str, float]) -> None:
    assert aspect_entity(distribution, [], CONFIG, 20) is None


def test_a_no_needs_a_surer_meaning_to_get_a_topic() -> None:
    # "nope, not interested" must not become a correction to some topic the classifier half-sees.
    distribution = {"development": 0.45, "skills": 0.3, NO_ASPECT: 0.25}
    assert aspect_entity(distribution, [], CONFIG, 20) is not None
    assert aspect_entity(distribution, [], CONFIG, 20, guarded=True) is None
    assert aspect_entity({"development": 0.7, NO_ASPECT: 0.3}, [], CONFIG, 20, guarded=True) is not None


def test_one_aspect_from_the_words_stands_when_the_meaning_allows_it() -> None:
    assert aspect_entity({"skills": 0.5, "education": 0.5}, ["education"], CONFIG, 20) is None
    assert aspect_entity({"skills": 0.45, "education": 0.15}, ["education"], CONFIG, 20) is None  # not sure enough
    assert aspect_entity({"skills": 0.6, "education": 0.25}, ["education"], CONFIG, 20) is None  # the word may be right
    # "what does an MLOps engineer need to know?": "need to know" is skills, however much it reads like tools.
    assert aspect_entity({"programming": 0.57, "skills": 0.05}, ["skills"], CONFIG, 40) is None


def test_a_loose_word_is_outvoted_by_a_sure_meaning() -> None:
    # "where do they end up in ten years?": "where" is a workplace word, the question is about careers.
    entity = aspect_entity({"career": 0.9, "environment": 0.03, NO_ASPECT: 0.07}, ["environment"], CONFIG, 30)
    assert entity is not None and entity["value"] == "career"


def test_a_comparison_takes_a_clear_runner_up_topic_over_none() -> None:
    # "which one brings in more dough?": comparisons are mostly taught without a topic.
    entity = aspect_entity({NO_ASPECT: 0.5, "pay": 0.35, "career": 0.15}, [], CONFIG, 30, comparison=True)
    assert entity is not None and entity["value"] == "pay"
    # "what's the difference between them?": no topic stands out, so the overall comparison.
    assert aspect_entity({NO_ASPECT: 0.9, "pay": 0.05, "career": 0.05}, [], CONFIG, 30, comparison=True) is None
    assert aspect_entity({NO_ASPECT: 0.5, "pay": 0.35, "career": 0.15}, [], CONFIG, 30) is None


def test_several_aspects_from_the_words_are_settled_by_meaning() -> None:
    entity = aspect_entity({"career": 0.6, "environment": 0.1, "skills": 0.3}, ["environment", "career"], CONFIG, 30)
    assert entity is not None and entity["value"] == "career"


def test_top_k_mean_averages_the_largest_values_of_each_row() -> None:
    rows = np.array([[0.1, 0.9, 0.5, 0.7], [0.0, 0.2, 0.4, 0.6]])
    assert np.allclose(top_k_mean(rows, 2), [0.8, 0.5])
    assert np.allclose(top_k_mean(rows, 10), [0.55, 0.3])


def _example(text: str, intent: str, metadata: dict[str, Any] | None = None) -> Message:
    data: dict[str, Any] = {"text": text, "intent": intent}
    if metadata is not None:
        data["metadata"] = {"intent": metadata}
    return Message(data=data)


def test_a_blocks_metadata_labels_its_examples() -> None:
    assert training_label(_example("what would a hiring panel check", "ask_aspect", {"aspect": "skills"})) == "skills"


def test_overviews_follow_ups_and_comparisons_mean_no_topic_of_their_own() -> None:
    for intent in ("ask_role_overview", "ask_followup", "compare_roles"):
        assert training_label(_example("and the other one?", intent)) == NO_ASPECT


def test_small_talk_teaches_no_aspect() -> None:
    assert training_label(_example("thanks a lot", "thank")) is None


class _Configured:
    config = {"refer_back_min_score": 0.22, "refer_back_confidence": 0.8}


def _scored(text: str, score: float) -> Message:
    return Message(data={"text": text, "domain_score": score})


@pytest.mark.parametrize("text", ["what's buzzing in that area at the moment?",
                                  "is now a good moment to go for this, or is the wave passing?",
                                  "which schools come out on top for this field?"])
def test_an_out_of_scope_message_that_refers_back_to_the_job_is_a_topic_question(text: str) -> None:
    entity = MeaningAspectExtractor.referring_topic_question(_Configured(), _scored(text, 0.25),  # type: ignore[arg-type]
                                                             {"trends": 0.9, NO_ASPECT: 0.1})
    assert entity is not None and entity["value"] == "trends"


@pytest.mark.parametrize(("text", "score", "distribution"), [
    ("please skip this song", 0.3, {"development": 0.9, NO_ASPECT: 0.1}),  # "this song" is no job
    ("how much do i make at my job, is it enough?", 0.3, {"pay": 0.99}),  # a personal errand
    ("what's buzzing in that area at the moment?", 0.1, {"trends": 0.9}),  # far from the domain
    ("what's buzzing in that area at the moment?", 0.3, {"trends": 0.6, "security": 0.4}),  # unsure
])
def test_other_out_of_scope_messages_stay_out(text: str, score: float, distribution: dict[str, float]) -> None:
    assert MeaningAspectExtractor.referring_topic_question(_Configured(), _scored(text, score),  # type: ignore[arg-type]
                                                           distribution) is None


def test_an_unsure_message_naming_a_topic_whose_likeliest_intent_is_a_role_question_is_that_question() -> None:
    def unsure(ranking: list[str], entities: list[dict[str, Any]]) -> Message:
        return Message(data={"text": "x", "intent": {"name": "nlu_fallback", "confidence": 0.45},
                             "intent_ranking": [{"name": "nlu_fallback"}, *({"name": n} for n in ranking)], "entities": entities})

    focus = [{"entity": "aspect", "value": "focus"}]
    assert OpenWorldGate.unsure_topic_question(unsure(["compare_roles", "start_interview"], focus)) == "compare_roles"
    assert OpenWorldGate.unsure_topic_question(unsure(["goodbye", "compare_roles"], focus)) is None
    assert OpenWorldGate.unsure_topic_question(unsure(["compare_roles"], [])) is None


def test_meaning_does_not_narrow_the_rulers_topic_to_one_inside_it() -> None:
    config = {**CONFIG, "narrower": {"programming": "skills"}}
    assert aspect_entity({"programming": 0.9, "skills": 0.05}, ["skills"], config, 40) is None
    assert aspect_entity({"projects": 0.9, "skills": 0.05}, ["skills"], config, 40)["value"] == "projects"
