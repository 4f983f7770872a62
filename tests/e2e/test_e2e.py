"""End-to-end: the real Rasa server and action server, over the REST channel."""
from __future__ import annotations

import json
import uuid

import pytest

from tools.harness.servers import Servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]


def text_of(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_greeting_shows_the_menu(servers: Servers) -> None:
    reply = servers.say(new_sender(), "Hello!")
    text = text_of(reply)
    assert "AI Research Scientist" in text and "AI Engineer" in text
    buttons = [b for m in reply for b in m.get("buttons", [])]  # type: ignore[attr-defined]
    assert 3 <= len(buttons) <= 5
    assert all(b["payload"].startswith("/") for b in buttons)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What are the main duties of an AI research scientist?", "Conducting research"),
        ("what responsibilities does an ML engineer have", "Deployment and maintenance"),
        ("Which skills does a research scientist need?", "Publication record"),
        ("what qualifications do AI engineers need", "Software engineering"),
        ("which programming languages do research scientists use", "MATLAB"),
        ("what frameworks does an AI engineer work with", "PyTorch"),
        ("Do you need a PhD to be an AI researcher?", "PhD"),
        ("what degree does an AI engineer need", "bachelor's or master's"),
        ("What kind of projects do research scientists work on?", "Benchmarking studies"),
        ("typical projects for an AI engineer?", "Recommendation systems"),
        ("what's the focus of an AI research scientist", "Theory first"),
        ("what are the objectives of an AI engineer", "Practice first"),
        ("where do AI research scientists work", "research labs"),
        ("what is the work environment of an ML engineer like", "startups"),
        ("what's the career path of a research scientist", "research team"),
        ("how can AI engineers grow in their career", "AI architect"),
        ("how do I become an AI research scientist", "Research experience"),
        ("how can I build the skills to be an AI engineer", "open-source"),
        ("what are the industry trends for research scientists", "quantum computing"),
        ("is there demand for AI engineers", "healthcare"),
        ("who is the research scientist role right for", "passionate about exploring new theories"),
        ("who should become an AI engineer", "results-oriented"),
        ("reserch scientist educaton?", "PhD"),
        ("skils for ai enginers", "TensorFlow"),
    ],
)
def test_every_aspect_of_both_roles_is_answered(servers: Servers, question: str, expected: str) -> None:
    text = text_of(servers.say(new_sender(), question))
    assert expected in text, text


def test_follow_ups_keep_the_thread(servers: Servers) -> None:
    sender = new_sender()
    assert "deploy" in text_of(servers.say(sender, "What does an AI engineer do?"))
    skills = text_of(servers.say(sender, "and what skills do they need?"))
    assert "AI Engineer: Skills" in skills and "Scala" in skills
    switched = text_of(servers.say(sender, "what about research scientists?"))
    assert "AI Research Scientist: Skills" in switched and "MATLAB" in switched and "Scala" not in switched
    more = text_of(servers.say(sender, "tell me more"))
    assert "AI Research Scientist" in more


def test_comparisons(servers: Servers) -> None:
    overall = text_of(servers.say(new_sender(), "How is an AI research scientist different from an AI engineer?"))
    assert "Theory first" in overall and "Practice first" in overall
    education = text_of(servers.say(new_sender(), "compare the education of the two roles"))
    assert "PhD" in education and "bachelor's" in education


def test_question_without_a_role_answers_for_both(servers: Servers) -> None:
    text = text_of(servers.say(new_sender(), "what degree do I need?"))
    assert "PhD" in text and "bachelor's" in text


def test_salary_questions_are_answered_honestly(servers: Servers) -> None:
    text = text_of(servers.say(new_sender(), "how much does an AI engineer earn?"))
    assert "pay and salaries" in text and "won't guess" in text


def test_button_payloads_work(servers: Servers) -> None:
    sender = new_sender()
    text = text_of(servers.say(sender, '/ask_aspect{"role":"ai_engineer","aspect":"career"}'))
    assert "AI architect" in text
    text = text_of(servers.say(sender, "/ask_more"))
    assert "AI Engineer" in text


@pytest.mark.parametrize(
    "message",
    ["", "   ", "x" * 10_000, "🤖🚀🔥", "<script>alert('hi')</script>", "'; DROP TABLE events; --", "?!?!?!?!",
     "<b>what does an AI engineer do</b>"],
)
def test_odd_messages_get_a_polite_reply_and_the_conversation_goes_on(servers: Servers, message: str) -> None:
    sender = new_sender()
    servers.say(sender, "what skills does an AI engineer need?")
    reply = servers.say(sender, message)
    text = text_of(reply)
    assert "<script" not in text and "<b>" not in text
    assert "Traceback" not in text
    after = text_of(servers.say(sender, "and their education?"))
    assert "AI Engineer: Education" in after


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (json.dumps({"sender": "x"}).encode(), "application/json"),
        (json.dumps({"message": "hi"}).encode(), "application/json"),  # no sender: no shared "default" conversation
        (json.dumps({"sender": "x", "message": {"nested": True}}).encode(), "application/json"),
        (b"sender=x&message=hi", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_requests_get_a_4xx_not_a_500(servers: Servers, body: bytes, content_type: str) -> None:
    status, _ = servers.post(body, content_type=content_type)
    assert 400 <= status < 500, status
    assert servers.rasa.poll() is None, "the server must keep running"
    assert servers.say(new_sender(), "hi")
