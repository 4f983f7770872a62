"""Entities from our spaCy entity ruler, with the canonical id as the value.

Rasa's SpacyEntityExtractor reports what the user typed ("MLEs", "enginers"). Our ruler knows
which role or aspect each pattern stands for (the pattern id), so this extractor reports that
id instead: actions, slots and the NLU evaluation then all speak in knowledge-base ids.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class RulerEntityExtractor(SpacyEntityExtractor):
    """SpacyEntityExtractor that reports the entity ruler's pattern id as the value."""

    @staticmethod
    def _extract_entities(doc: Any) -> list[dict[str, Any]]:
        return [
            {
                "entity": ent.label_,
                "value": ent.ent_id_ or ent.text,
                "start": ent.start_char,
                "end": ent.end_char,
                "confidence": 1.0,
            }
            for ent in doc.ents
        ]
