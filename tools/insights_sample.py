"""Conversations as the assistant stores them, written straight into a tracker store's `events` table.

Each `Script` method is one turn as the Rasa server records it (the same events, in the same order,
with the same actions, slots and metadata: checked against real conversations in
tests/insights/test_real_conversations.py), so the report can be tested on known conversations and
measured at scale without running the assistant:

    python -m tools.insights_sample --conversations 10000 --out var/sample.db
    DB_URL=sqlite:///var/sample.db make insights INSIGHTS_ARGS="--days 30"

`make insights INSIGHTS_ARGS="--sample 10000"` does both, in a temporary database.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot import interview as interview_data
from bot import knowledge
from bot.interview import Interview
from bot.knowledge import KnowledgeBase
from bot.recommender import recommend
from insights.events import EVENTS, UNANSWERED_KEY

META = {"model_id": "sample", "assistant_id": "career-guide"}
INTENTS = ("greet", "ask_aspect", "ask_role_overview", "ask_followup", "compare_roles", "inform", "affirm", "deny",
           "out_of_scope", "start_interview", "stop_interview", "thank")
FILLER = "The knowledge base's answer, in a few lines of text as the assistant sends it. "
REPLY = 0.15  # seconds from a user message to the bot's last reply
GAP = 20.0  # seconds between a reply and the next message


class Script:
    """One conversation, turn by turn, as the events the Rasa server stores for it."""

    def __init__(self, sender: str, *, start: float, kb: KnowledgeBase, interview: Interview) -> None:
        self.sender, self.clock, self.kb, self.interview = sender, start, kb, interview
        self.rows: list[dict[str, Any]] = []
        self.slots: dict[str, Any] = {}
        self.answers: dict[str, str] = {}
        self.new_session()

    # ---- the building blocks ----
    def _event(self, kind: str, data: dict[str, Any], *, at: float, intent: str | None = None, name: str | None = None) -> None:
        event = {"event": kind, "timestamp": at, "metadata": dict(META), **data}
        self.rows.append({"sender_id": self.sender, "type_name": kind, "timestamp": at, "intent_name": intent,
                          "action_name": name, "data": json.dumps(event)})

    def _action(self, name: str, at: float) -> None:
        self._event("action", {"name": name, "policy": "RulePolicy", "confidence": 1.0, "action_text": None,
                               "hide_rule_turn": False}, at=at, name=name)

    def _slot(self, name: str, value: Any, at: float) -> None:
        self.slots[name] = value
        self._event("slot", {"name": name, "value": value}, at=at, name=name)

    def _bot(self, response: str | None, at: float, *, length: int = 400, metadata: dict[str, Any] | None = None) -> None:
        text = (FILLER * (length // len(FILLER) + 1))[:length]
        meta = {**({"utter_action": response, "template": response} if response else {}), **(metadata or {}), **META}
        self.rows.append({"sender_id": self.sender, "type_name": "bot", "timestamp": at, "intent_name": None,
                          "action_name": None, "data": json.dumps({"event": "bot", "timestamp": at, "metadata": meta,
                                                                   "text": text, "data": {"buttons": None}})})

    def _user(self, text: str, intent: str, entities: Sequence[dict[str, Any]] = ()) -> float:
        at = self.clock
        message_id = uuid.uuid4().hex
        others = [{"name": other, "confidence": 1e-29} for other in INTENTS if other != intent][:9]
        ranking = [{"name": intent, "confidence": 1.0}, *others]
        parse = {"intent": {"name": intent, "confidence": 1.0}, "entities": list(entities), "text": text,
                 "message_id": message_id, "metadata": {}, "text_tokens": [[0, len(text)]], "intent_ranking": ranking,
                 "domain_score": 0.7}
        self._event("user", {"text": text, "parse_data": parse, "input_channel": self.sender.split(":", 1)[0],
                             "message_id": message_id}, at=at, intent=intent)
        self._event("user_featurization", {"use_text_for_featurization": False}, at=at + 0.01)
        return at

    def _listen(self, at: float) -> None:
        self._action("action_listen", at)
        self.clock = at + GAP

    # ---- sessions ----
    def new_session(self) -> None:
        at = self.clock
        self._action("action_session_start", at)
        self._event("session_started", {}, at=at)
        for name, value in list(self.slots.items()):  # carried over to the new session
            self._slot(name, value, at)
        self._action("action_listen", at)

    def later(self, hours: float) -> Script:
        """The person comes back after `hours`: past 24 hours of silence, a new session starts first."""
        self.clock += hours * 3600
        if hours >= 24:
            self.new_session()
        return self

    # ---- turns ----
    def greet(self, text: str = "hi", *, reply: float = REPLY) -> Script:
        at = self._user(text, "greet")
        self._action("action_show_menu", at + 0.02)
        self._bot("utter_menu", at + reply)
        self._listen(at + reply)
        return self

    def ask(self, text: str, *, role: str | None, aspect: str, intent: str = "ask_aspect", reply: float = REPLY,
            action: str = "action_answer_role") -> Script:
        """A question about a role (or, from action_compare_roles, about both), answered from the knowledge base."""
        at = self._user(text, intent, [{"entity": "aspect", "value": aspect}])
        self._action(action, at + 0.02)
        self._bot("utter_compare_aspect" if action == "action_compare_roles" else "utter_role_aspect", at + reply, length=1400)
        self._slot("detail_shown", True, at + reply)
        self._slot("facts_only", False, at + reply)
        if role is not None:
            self._slot("role", role, at + reply)
        self._slot("aspect", aspect, at + reply)
        self._listen(at + reply)
        return self

    def compare(self, text: str, *, aspect: str, reply: float = REPLY) -> Script:
        return self.ask(text, role=None, aspect=aspect, intent="compare_roles", reply=reply, action="action_compare_roles")

    def decline(self, text: str, *, topic: str, role: str | None = None, reply: float = REPLY) -> Script:
        """A question on a topic the knowledge base does not cover (pay, hours, ...): declined honestly."""
        at = self._user(text, "ask_aspect", [{"entity": "aspect", "value": topic}])
        self._action("action_answer_role", at + 0.02)
        self._bot("utter_topic_not_covered", at + reply, metadata={"topic": self.kb.uncovered[topic].label})
        self._slot("detail_shown", False, at + reply)
        self._slot("facts_only", False, at + reply)
        if role is not None:
            self._slot("role", role, at + reply)
        self._slot("aspect", topic, at + reply)
        self._listen(at + reply)
        return self

    def out_of_scope(self, text: str, *, reply: float = REPLY) -> Script:
        at = self._user(text, "out_of_scope")
        self._action("action_out_of_scope", at + 0.02)
        self._bot("utter_out_of_scope", at + reply, length=250)
        self._listen(at + reply)
        return self

    def not_understood(self, text: str, *, reply: float = REPLY) -> Script:
        """Too unsure of the meaning: the two-stage fallback offers its guesses."""
        at = self._user(text, "nlu_fallback")
        self._action("action_two_stage_fallback", at + 0.02)
        self._bot("utter_offer_guesses", at + reply, length=60)
        self._event("active_loop", {"name": "action_two_stage_fallback"}, at=at + reply, name="action_two_stage_fallback")
        self._listen(at + reply)
        return self

    def not_english(self, text: str, *, reply: float = REPLY) -> Script:
        at = self._user(text, "non_english")
        self._action("utter_english_only", at + 0.02)
        self._bot("utter_english_only", at + reply, length=110)
        self._listen(at + reply)
        return self

    def apology(self, unanswered: str) -> Script:
        """The action server failed: the turn was undone and only the apology, naming the message, is stored."""
        self._bot(None, self.clock, length=160, metadata={UNANSWERED_KEY: unanswered})
        self.clock += GAP
        return self

    def start_interview(self, text: str = "/start_interview", *, reply: float = REPLY) -> Script:
        at = self._user(text, "start_interview")
        self._action("action_start_interview", at + 0.02)
        self._bot("utter_interview_intro", at + 0.03, length=280)
        self._event("active_loop", {"name": None}, at=at + 0.03)
        self._reset(at + 0.03)
        self.answers = {}
        self._action("interview_form", at + reply)
        self._event("active_loop", {"name": "interview_form"}, at=at + reply, name="interview_form")
        self._slot("requested_slot", self.interview.slots[0], at + reply)
        self._bot(None, at + reply, length=100)
        self._listen(at + reply)
        return self

    def answer(self, value: str, *, typed: str | None = None, unclear: str | None = None, reply: float = REPLY) -> Script:
        """The pending question answered by its button, or in words (`typed`), after an unclear answer if given."""
        topic = str(self.slots["requested_slot"])
        if unclear is not None:
            at = self._user(unclear, "inform")
            self._action("interview_form", at + 0.02)
            self._slot("interview_retry", topic, at + reply)
            self._slot("requested_slot", topic, at + reply)
            self._bot("utter_interview_clarify", at + reply, length=120)
            self._bot(None, at + reply, length=100)
            self._listen(at + reply)
        text = typed if typed is not None else f'/inform{{"choice":"{value}"}}'
        at = self._user(text, "inform", [{"entity": "choice", "value": value}])
        self._action("interview_form", at + 0.02)
        self.answers[topic] = value
        self._slot(topic, value, at + reply)
        self._slot("interview_quotes", {topic: typed} if typed else {}, at + reply)
        self._slot("interview_retry", None, at + reply)
        rest = [t for t in self.interview.slots if t not in self.answers]
        if rest:
            self._slot("requested_slot", rest[0], at + reply)
            self._bot(None, at + reply, length=100)
        else:
            self._slot("requested_slot", None, at + reply)
            self._event("active_loop", {"name": None}, at=at + reply)
            self._action("action_recommend", at + reply)
            self._bot("utter_interview_summary", at + reply, length=900)
            self._bot("utter_recommendation", at + reply, length=2400)
            rec = recommend(answers=dict(self.answers), interview=self.interview)  # type: ignore[arg-type]
            self._slot("last_result", {"answers": dict(self.answers), "quotes": {}}, at + reply)
            self._slot("recommendation", rec.record(), at + reply)
        self._listen(at + reply)
        return self

    def stop(self, *, reply: float = REPLY) -> Script:
        """"Stop", then "yes" when asked to confirm: the interview ends where it was."""
        at = self._user("stop", "stop_interview")
        self._event("action_execution_rejected", {"name": "interview_form"}, at=at + 0.01, name="interview_form")
        self._action("utter_ask_confirm_stop", at + 0.02)
        self._bot("utter_ask_confirm_stop", at + reply, length=80)
        self._listen(at + reply)
        at = self._user("yes", "affirm")
        self._action("action_stop_interview", at + 0.02)
        self._bot("utter_interview_stopped", at + reply, length=110)
        self._event("active_loop", {"name": None}, at=at + reply)
        self._reset(at + reply)
        self._listen(at + reply)
        return self

    def _reset(self, at: float) -> None:
        for topic in self.interview.slots:
            self._slot(topic, None, at)
        self._slot("interview_quotes", {}, at)
        self._slot("interview_retry", None, at)
        self._slot("requested_slot", None, at)


def _table_as_stored() -> sa.Table:
    """Rasa's `events` table with the indexes the Rasa server's store gives it (Rasa's, and stores/tracker_store.py's)."""
    table = EVENTS.to_metadata(sa.MetaData())
    sa.Index("ix_events_sender_id", table.c.sender_id)
    sa.Index("ix_events_sender_id_id", table.c.sender_id, table.c.id)
    sa.Index("ix_events_sender_id_type_name_id", table.c.sender_id, table.c.type_name, table.c.id)
    return table


def write(engine: Engine, scripts: Iterable[Script]) -> int:
    """Store the scripts' events (creating the table if it is missing); how many events were written."""
    _table_as_stored().create(engine, checkfirst=True)
    written = 0
    with engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        for script in scripts:
            batch.extend(script.rows)
            if len(batch) >= 20_000:
                connection.execute(EVENTS.insert(), batch)
                written, batch = written + len(batch), []
        if batch:
            connection.execute(EVENTS.insert(), batch)
            written += len(batch)
    return written


# ---- many conversations, mixed as people use the assistant ----
OUT_OF_SCOPE = ("what's the weather today", "what is the weather like today?", "weather for tomorrow please",
                "tell me a joke", "can you tell me a joke", "book me a flight to berlin", "book a flight to paris for friday",
                "what's 15% of 80", "play some music", "who won the game last night", "order a pizza", "set an alarm for 7")
NOT_UNDERSTOOD = ("hmm maybe", "the other thing", "what about that", "ok and then", "sort of both i guess")
NOT_ENGLISH = ("Was verdient ein KI-Ingenieur?", "¿Qué hace un científico de IA?", "Qu'est-ce qu'un ingénieur en IA ?")
DECLINED = {"pay": ("how much do they earn?", "what's the salary?", "do they earn more", "what's the pay like?"),
            "hours": ("how many hours a week do they work", "can i work from home?")}
TYPED = {"goal": "I want to publish papers", "interest": "building apps people use", "strength": "mathematics and analysis",
         "education": "a master's in physics", "environment": "a tech company", "aspiration": "lead a team one day"}


#: Which channel a conversation comes in on, and how often.
CHANNELS, CHANNEL_WEIGHTS = ("rest", "widget", "slack"), (0.4, 0.45, 0.15)


def sample(count: int, *, seed: int = 17, until: float | None = None, days: float = 28.0,
           kb: KnowledgeBase | None = None, interview: Interview | None = None) -> Iterable[Script]:
    """`count` conversations spread over the `days` before `until`, mixing every kind of turn."""
    rng = random.Random(seed)
    kb = kb if kb is not None else knowledge.load()
    data = interview if interview is not None else interview_data.load()
    end = until if until is not None else time.time()
    roles, aspects = [r.id for r in kb.roles], [a for a in kb.aspects if a != "overview"]
    for index in range(count):
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        sender = f"{channel}:sample-{seed}-{index}" if channel != "slack" else f"slack:C{seed}:{index}"
        start = end - days * 86400 + rng.random() * max(days - 4, 0) * 86400  # ends before `until`, a return visit included
        script = Script(sender, start=start, kb=kb, interview=data)
        if rng.random() < 0.5:
            script.greet()
        for _ in range(rng.randint(0, 4)):
            script.ask(f"what about the {rng.choice(aspects)}?", role=rng.choice(roles), aspect=rng.choice(aspects),
                       reply=rng.uniform(0.05, 0.6))
        roll = rng.random()
        if roll < 0.2:
            script.compare("how do they compare?", aspect=rng.choice(aspects))
        if rng.random() < 0.12:
            script.out_of_scope(rng.choice(OUT_OF_SCOPE))
        if rng.random() < 0.08:
            script.not_understood(rng.choice(NOT_UNDERSTOOD))
        if rng.random() < 0.03:
            script.not_english(rng.choice(NOT_ENGLISH))
        if rng.random() < 0.1:
            topic = rng.choice(sorted(DECLINED))
            script.decline(rng.choice(DECLINED[topic]), topic=topic)
        if rng.random() < 0.35:
            _interview(script, rng, data)
        if rng.random() < 0.01:
            script.apology("what do they do all day")
        if rng.random() < 0.15:
            script.later(rng.uniform(25, 72)).ask("and the career path?", role=rng.choice(roles), aspect="career")
        yield script


def _interview(script: Script, rng: random.Random, data: Interview) -> None:
    script.start_interview()
    stop_at = rng.randrange(len(data.topics)) if rng.random() < 0.15 else None
    leave_at = rng.randrange(len(data.topics)) if stop_at is None and rng.random() < 0.25 else None
    for position, topic in enumerate(data.topics):
        if position == stop_at:
            script.stop()
            return
        if position == leave_at:
            return
        value = rng.choice([v.id for v in topic.buttons])
        typed = TYPED[topic.id] if rng.random() < 0.3 else None
        script.answer(value, typed=typed, unclear="I like stuff" if rng.random() < 0.1 else None)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.insights_sample", description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True, help="the SQLite file to write (must not exist)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists: name a new file")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    written = write(sa.create_engine(f"sqlite:///{args.out.resolve()}"), sample(args.conversations, seed=args.seed))
    print(f"{args.conversations:,} conversations ({written:,} events) written to {args.out} "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
