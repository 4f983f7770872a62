"""Two kinds of message whose intent the classifier should not guess.

- Clearly not English: intent `non_english`, and the assistant says it only speaks English.
  (bot/language.py decides.) A Spanish question would otherwise come out as a low-confidence
  guess or, worse, a confident wrong one.
- No words at all (emoji, punctuation): intent `nlu_fallback` with no ranking, so the fallback
  offers no guesses, just asks to rephrase and shows the menu. The classifier would otherwise
  read "😀😀" as whatever intent its few training emoji happened to be.

Sits after the FallbackClassifier. Button payloads ("/intent{...}") are left alone.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import language

NON_ENGLISH = "non_english"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGate(GraphComponent):
    """Overrides the intent of messages in another language, and of messages with no words."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MessageGate:
        language.function_words()  # load the word lists at start-up, not on the first message
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            if not language.has_words(text):
                verdict = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, verdict, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [verdict], add_to_output=True)
            elif language.is_foreign(text):
                verdict = {"name": NON_ENGLISH, "confidence": 1.0}
                message.set(INTENT, verdict, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [verdict, *(message.get(INTENT_RANKING_KEY) or [])], add_to_output=True)
        return messages
