"""Four kinds of message whose intent the classifier should not guess.

- Clearly not English: intent `non_english`, and the assistant says it only speaks English.
  (bot/language.py decides.) A Spanish question would otherwise come out as a low-confidence
  guess or, worse, a confident wrong one.
- No words at all (emoji, punctuation): intent `nlu_fallback` with no ranking, so the fallback
  offers no guesses, just asks to rephrase and shows the menu. The classifier would otherwise
  read "😀😀" as whatever intent its few training emoji happened to be.
- A correction that gives an interview answer ("oh wait, actually I have a master's now") that
  the classifier could not place: intent `change_answer`, for the interview (or the last result).
- A request for the interview by its name ("I can't decide about a PhD. Can we do the interview
  thing?", "could you run the questionnaire for me?"): intent `start_interview`. The classifier
  weighs every word, and the situation around the request pulls it towards a topic question.

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

from bot import interview, language
from components.meaning import OUT_OF_SCOPE, overrule

NON_ENGLISH = "non_english"
START_INTERVIEW = "start_interview"
CHANGE_ANSWER = "change_answer"
#: What the classifier calls a message it could not place in the domain.
UNPLACED = frozenset({OUT_OF_SCOPE, DEFAULT_NLU_FALLBACK_INTENT_NAME})
#: Intents that already steer the interview (or ask for its result): a request by name leaves them alone.
INTERVIEW_INTENTS = frozenset({START_INTERVIEW, "stop_interview", "restart_interview", "go_back", "ask_result", CHANGE_ANSWER})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGate(GraphComponent):
    """Overrides the intent of messages in another language, and of messages with no words."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MessageGate:
        language.function_words()  # load the word lists at start-up, not on the first message
        return cls(interview.load())

    def __init__(self, interview_: interview.Interview) -> None:
        self.interview = interview_

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
                overrule(message, NON_ENGLISH)
            elif (message.get(INTENT) or {}).get("name") not in INTERVIEW_INTENTS and interview.requests_the_interview(text):
                overrule(message, START_INTERVIEW)
            elif (message.get(INTENT) or {}).get("name") in UNPLACED and interview.corrects_an_answer(self.interview, text):
                overrule(message, CHANGE_ANSWER)
        return messages

