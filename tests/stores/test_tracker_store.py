"""The windowed SQL tracker store: every event kept, a bounded window served, the same dialogue state."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    Event,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import WindowedSQLTrackerStore, WindowedTracker, deserialise

ROOT = Path(__file__).resolve().parents[2]
KEEP = 3
FORM = "interview_form"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'conversations.db'}"


@pytest.fixture
def store(domain: Domain, db_url: str) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(domain=domain, host=db_url, history_turns=KEEP, max_history_turns=8)


def session_start() -> list[Event]:
    return [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]


def turn(intent: str, action: str, *, slots: dict[str, Any] | None = None, after: list[Event] | None = None) -> list[Event]:
    """One user message and the bot's answer to it, ending with the bot listening again."""
    return [UserUttered(f"a message meaning {intent}", {"name": intent, "confidence": 1.0}),
            ActionExecuted(action), *(SlotSet(name, value) for name, value in (slots or {}).items()),
            BotUttered(f"an answer to {intent}"), *(after or []), ActionExecuted(ACTION_LISTEN_NAME)]


def questions(count: int) -> Iterator[list[Event]]:
    aspects = ["skills", "education", "projects", "tools", "career_path"]
    for index in range(count):
        yield turn("ask_aspect", "action_answer_role", slots={"aspect": aspects[index % len(aspects)], "role": f"role{index % 2}"})


class Conversation:
    """Plays turns through the store the way Rasa's processor does: retrieve, append, save."""

    def __init__(self, store: WindowedSQLTrackerStore, sender: str = "visitor") -> None:
        self.store, self.sender, self.events = store, sender, list[Event]()

    def play(self, events: list[Event]) -> DialogueStateTracker:
        async def run() -> DialogueStateTracker:
            tracker = await self.store.get_or_create_tracker(self.sender, append_action_listen=False)
            for event in ([*session_start(), *events] if not self.events else events):
                tracker.update(event)
                self.events.append(event)
            await self.store.save(tracker)
            return tracker
        return asyncio.run(run())

    def served(self) -> DialogueStateTracker:
        tracker = asyncio.run(self.store.retrieve(self.sender))
        assert tracker is not None
        return tracker

    def full(self) -> DialogueStateTracker:
        """The tracker stock Rasa would serve: every event of the latest session, replayed."""
        starts = [i for i, event in enumerate(self.events) if isinstance(event, SessionStarted)]
        return DialogueStateTracker.from_events(self.sender, self.events[starts[-1]:], self.store.domain.slots)


def served_users(tracker: DialogueStateTracker) -> int:
    return sum(isinstance(event, UserUttered) for event in tracker.events)


def assert_same_dialogue_state(served: DialogueStateTracker, full: DialogueStateTracker, domain: Domain) -> None:
    assert served.current_slot_values() == full.current_slot_values()
    assert served.active_loop == full.active_loop
    assert served.latest_action_name == full.latest_action_name
    assert served.latest_message.intent == full.latest_message.intent
    # What the policies read: the last states (MemoizationPolicy looks back 3, our longest rule 3).
    depth = 2 * KEEP
    assert domain.states_for_tracker_history(served)[-depth:] == domain.states_for_tracker_history(full)[-depth:]


def test_every_event_is_stored_once_in_order(store: WindowedSQLTrackerStore) -> None:
    talk = Conversation(store)
    for events in questions(25):
        talk.play(events)
    full = asyncio.run(store.retrieve_full_tracker(talk.sender))
    assert [e.as_dict() for e in full.events] == [e.as_dict() for e in talk.events]


def test_the_window_stays_bounded_and_the_state_stays_right(store: WindowedSQLTrackerStore, domain: Domain) -> None:
    talk = Conversation(store)
    sizes = []
    for events in questions(40):
        talk.play(events)
        served = talk.served()
        assert_same_dialogue_state(served, talk.full(), domain)
        sizes.append(len(served.events))
    assert served_users(talk.served()) == KEEP
    assert max(sizes[10:]) == min(sizes[10:]) < len(talk.events) / 5  # flat, whatever the conversation's length


def test_an_active_form_is_kept_whole_until_the_cap(store: WindowedSQLTrackerStore, domain: Domain) -> None:
    talk = Conversation(store)
    for events in questions(5):
        talk.play(events)
    talk.play(turn("start_interview", "interview_form", after=[ActiveLoop(FORM), SlotSet("requested_slot", "goal")]))
    for index in range(6):  # inside the form: answers and a detour
        if index == 3:
            talk.play(turn("ask_aspect", "action_answer_role", after=[ActionExecutionRejected(FORM), LoopInterrupted(True)]))
        else:
            talk.play(turn("inform", "interview_form", slots={"goal": f"answer {index}"}))
        served = talk.served()
        assert any(isinstance(e, ActiveLoop) and e.name == FORM for e in served.events), "the window started inside the form"
        assert_same_dialogue_state(served, talk.full(), domain)
    talk.play(turn("inform", "interview_form", after=[ActiveLoop(None), SlotSet("requested_slot", None)]))
    for events in questions(KEEP + 1):
        talk.play(events)
        assert_same_dialogue_state(talk.served(), talk.full(), domain)
    assert served_users(talk.served()) == KEEP  # moved on once the form was over


def test_a_form_longer_than_the_cap_is_cut_with_its_state(store: WindowedSQLTrackerStore, domain: Domain) -> None:
    talk = Conversation(store)
    talk.play(turn("start_interview", "interview_form", after=[ActiveLoop(FORM), SlotSet("requested_slot", "goal")]))
    talk.play(turn("ask_aspect", "action_answer_role", after=[ActionExecutionRejected(FORM), LoopInterrupted(True)]))
    for index in range(store.max_history_turns + 2):
        talk.play(turn("ask_aspect", "action_answer_role", slots={"aspect": f"a{index}"}))
    served = talk.served()
    assert served_users(served) <= store.max_history_turns
    full_loop = talk.full().active_loop
    assert served.active_loop is not None and full_loop is not None
    # The form's name and state carry over; not the message that started it (nothing in Rasa reads it).
    assert (served.active_loop.name, served.active_loop.is_interrupted, served.active_loop.rejected) == \
        (full_loop.name, full_loop.is_interrupted, full_loop.rejected) == (FORM, False, True)
    assert served.current_slot_values() == talk.full().current_slot_values()


def test_a_new_session_is_served_from_its_start(store: WindowedSQLTrackerStore, domain: Domain) -> None:
    talk = Conversation(store)
    for events in questions(10):
        talk.play(events)
    carried = [SlotSet(name, value) for name, value in talk.full().current_slot_values().items()
               if talk.full().slots[name].has_been_set]
    talk.play([ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), *carried, ActionExecuted(ACTION_LISTEN_NAME),
               *turn("greet", "action_show_menu")])
    served = talk.served()
    assert isinstance(served.events[0], SessionStarted)
    assert_same_dialogue_state(served, talk.full(), domain)
    assert len(asyncio.run(store.retrieve_full_tracker(talk.sender)).events) == len(talk.events)


def test_reverted_and_restarted_turns_replay_as_in_full(store: WindowedSQLTrackerStore, domain: Domain) -> None:
    talk = Conversation(store)
    for events in questions(6):
        talk.play(events)
    talk.play([UserUttered("gibberish", {"name": "nlu_fallback", "confidence": 1.0}), ActionExecuted("action_default_fallback"),
               BotUttered("sorry"), UserUtteranceReverted(), ActionExecuted(ACTION_LISTEN_NAME)])
    assert_same_dialogue_state(talk.served(), talk.full(), domain)
    talk.play([*turn("restart", "action_restart", after=[Restarted()])])
    for events in questions(KEEP + 2):
        talk.play(events)
        assert_same_dialogue_state(talk.served(), talk.full(), domain)


def test_a_new_store_on_the_same_database_serves_the_same(store: WindowedSQLTrackerStore, domain: Domain, db_url: str) -> None:
    talk = Conversation(store)
    for events in questions(12):
        talk.play(events)
    before = talk.served()
    restarted = WindowedSQLTrackerStore(domain=domain, host=db_url, history_turns=KEEP)
    after = asyncio.run(restarted.retrieve(talk.sender))
    assert isinstance(after, WindowedTracker)
    assert [e.as_dict() for e in after.events] == [e.as_dict() for e in before.events]


def test_a_tracker_it_did_not_serve_is_stored_as_rasa_would(store: WindowedSQLTrackerStore) -> None:
    events = [*session_start(), *turn("greet", "action_show_menu")]
    asyncio.run(store.save(DialogueStateTracker.from_events("from-the-api", events, store.domain.slots)))
    full = asyncio.run(store.retrieve_full_tracker("from-the-api"))
    assert [e.as_dict() for e in full.events] == [e.as_dict() for e in events]


def test_fast_deserialisation_matches_rasa() -> None:
    events = [*session_start(), *turn("inform", "interview_form", slots={"goal": "theory"},
                                       after=[ActiveLoop(FORM), LoopInterrupted(True), ActionExecutionRejected(FORM)]),
              UserUtteranceReverted(), Restarted()]
    serialised = [event.as_dict() for event in events] + [{"no": "event key"}]
    assert deserialise(serialised) == deserialise_events(serialised)


def test_a_url_is_required(domain: Domain) -> None:
    with pytest.raises(ValueError, match="url"):
        WindowedSQLTrackerStore(domain=domain, host=None)
