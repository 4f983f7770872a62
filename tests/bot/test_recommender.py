"""Scoring interview answers: clear profiles, mixed, all unsure, contradictory."""
from __future__ import annotations

import copy
import re

import pytest
import yaml

from bot import interview, knowledge, report
from bot.interview import Interview
from bot.recommender import recommend

RS, EN = "ai_research_scientist", "ai_engineer"
RESEARCH = dict(goal="theory", interest="ideas", strength="analytical", education="phd", environment="academia",
                aspiration="research_lead")
ENGINEERING = dict(goal="practice", interest="systems", strength="engineering", education="bachelors",
                   environment="industry", aspiration="tech_lead")


@pytest.fixture(scope="module")
def data() -> Interview:
    return interview.load()


@pytest.mark.parametrize(
    ("answers", "best", "balanced"),
    [
        (RESEARCH, RS, False),
        (ENGINEERING, EN, False),
        ({**RESEARCH, "education": "masters", "environment": "rnd"}, RS, False),
        ({**ENGINEERING, "education": "masters", "aspiration": "product"}, EN, False),
        ({**RESEARCH, "education": "planning_phd"}, RS, False),
        (dict(goal="both", interest="both", strength="both", education="masters", environment="rnd",
              aspiration="not_sure"), None, True),
        ({}, None, True),
        (dict(goal="theory", interest="systems", strength="analytical", education="bachelors",
              environment="industry", aspiration="research_lead"), None, True),
    ],
    ids=["clear-research", "clear-engineering", "research-with-masters", "engineering-product", "planning-phd",
         "mixed", "all-unsure", "contradictory"],
)
def test_profiles(data: Interview, answers: dict[str, str], best: str | None, balanced: bool) -> None:
    rec = recommend(answers=answers, interview=data)  # type: ignore[arg-type]
    assert rec.balanced is balanced
    if best:
        assert rec.best == best
        assert 2 <= len(rec.reasons) <= 4
        assert all(r.role == best for r in rec.reasons)


def test_all_not_sure_is_a_tie_never_a_verdict(data: Interview) -> None:
    rec = recommend(answers={t: "not_sure" for t in data.slots}, interview=data)
    assert rec.balanced and rec.scores[0].points == rec.scores[1].points
    assert set(rec.tippers) == set(data.slots)


def test_unknown_values_count_as_not_sure(data: Interview) -> None:
    rec = recommend(answers={"goal": "astronaut", "nope": "x"}, interview=data)  # type: ignore[dict-item]
    assert rec.balanced


def test_result_quotes_the_users_words_and_cites_the_article(data: Interview) -> None:
    kb = knowledge.load()
    quotes = {"goal": "I want to publish papers", "environment": "a university lab"}
    rec = recommend(answers=RESEARCH, interview=data)  # type: ignore[arg-type]
    message = report.result(kb, data, rec, RESEARCH, quotes)  # type: ignore[arg-type]
    assert message.response == "utter_recommendation"
    assert message.values["role"] == "AI Research Scientist"
    assert "“I want to publish papers”" in message.values["reasons"]
    assert "passionate about exploring new theories" in message.values["reasons"]
    assert message.values["other"] == "AI Engineer"
    assert "research experience" in message.values["next_steps"].lower()
    summary = report.summary(data, RESEARCH, quotes)  # type: ignore[arg-type]
    assert "Career goal: “I want to publish papers”" in summary.values["answers"]


def test_the_result_shows_each_roles_match_as_a_bar_and_a_number(data: Interview) -> None:
    kb = knowledge.load()
    rec = recommend(answers=RESEARCH, interview=data)  # type: ignore[arg-type]
    lines = report.result(kb, data, rec, RESEARCH, {}).values["scores"].split("\n")  # type: ignore[arg-type]
    assert lines == ["██████████ 100% AI Research Scientist", "█░░░░░░░░░ 8% AI Engineer"]
    assert [report.bar(p) for p in (0, 1, 4, 5, 50, 94, 95, 100)] == [
        "░" * 10, "█" + "░" * 9, "█" + "░" * 9, "█" + "░" * 9, "█" * 5 + "░" * 5, "█" * 9 + "░", "█" * 10, "█" * 10]


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [(RESEARCH, "recommended"),
     (dict(goal="both", interest="both", strength="both", education="masters", environment="rnd", aspiration="not_sure"),
      "balanced"),
     ({}, "tie")],
)
def test_every_kind_of_result_shows_the_bars_and_is_recorded_with_its_verdict(data: Interview, answers: dict[str, str],
                                                                            verdict: str) -> None:
    kb = knowledge.load()
    rec = recommend(answers=answers, interview=data)  # type: ignore[arg-type]
    message = report.result(kb, data, rec, answers, {})  # type: ignore[arg-type]
    assert all(re.fullmatch(r"[█░]{10} \d+% AI .+", line) for line in message.values["scores"].split("\n"))
    record = rec.record()
    assert record["verdict"] == verdict and record["role"] == rec.best
    assert record["scores"] == {s.role: s.percent for s in rec.scores}


def test_quoted_answers_cannot_become_links_html_or_formatting(data: Interview) -> None:
    typed = "practice [click me](javascript:alert(1)) *loud* `code` ~gone~ C:\\temp"
    quotes = {"goal": typed}
    summary = report.summary(data, RESEARCH, quotes).values["answers"]  # type: ignore[arg-type]
    reasons = report.result(knowledge.load(), data, recommend(answers=RESEARCH, interview=data),  # type: ignore[arg-type]
                            RESEARCH, quotes).values["reasons"]  # type: ignore[arg-type]
    escaped = "practice \\[click me\\](javascript:alert(1)) \\*loud\\* \\`code\\` \\~gone\\~ C:\\\\temp"
    assert f"“{escaped}”" in summary and f"“{escaped}”" in reasons
    assert "[click me](" not in summary + reasons


def test_escaped_markdown_reads_as_typed() -> None:
    typed = "a_b [x](y) <i> ~z~ \\ `c` *d*"
    unescaped = re.sub(r"\\(.)", r"\1", report.escape_markdown(typed))  # what a Markdown renderer shows
    assert unescaped == typed
    plain = "I'm doing a PhD, 3.5 years in; R&D (maybe) #1! <b>"
    assert report.escape_markdown(plain) == plain


def test_balanced_result_names_what_would_tip_it(data: Interview) -> None:
    kb = knowledge.load()
    answers = dict(goal="both", interest="both", strength="both", education="masters", environment="rnd",
                   aspiration="not_sure")
    rec = recommend(answers=answers, interview=data)  # type: ignore[arg-type]
    message = report.result(kb, data, rec, answers, {})  # type: ignore[arg-type]
    assert message.response == "utter_recommendation_balanced"
    assert "long-term aspiration" in message.values["tippers"]


def test_a_third_role_needs_only_weights(data: Interview) -> None:
    raw = yaml.safe_load(interview.DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["weights"]["ml_ops_engineer"] = copy.deepcopy(raw["weights"]["ai_engineer"])
    raw["weights"]["ml_ops_engineer"]["environment"]["industry"] = 5
    third = interview.parse(raw, source="test")
    rec = recommend(answers=ENGINEERING, interview=third)  # type: ignore[arg-type]
    assert rec.best == "ml_ops_engineer"


@pytest.mark.parametrize(
    ("education", "quote", "skipped", "first"),
    [("phd", "finishing my PhD in physics", "A PhD;", "Research experience"),
     ("masters", "", None, "A PhD"), ("bachelors", "", None, "A PhD")],
)
def test_next_steps_start_from_where_the_person_is(data: Interview, education: str, quote: str, skipped: str | None,
                                                   first: str) -> None:
    answers = {**RESEARCH, "education": education}
    quotes = {"education": quote} if quote else {}
    message = report.result(knowledge.load(), data, recommend(answers=answers, interview=data), answers, quotes)  # type: ignore[arg-type]
    steps = message.values["next_steps"]
    assert message.values["role"] == "AI Research Scientist"
    if skipped:
        assert skipped not in steps and "usually expected" not in steps and steps.startswith("A PhD is already behind you")
    assert steps.split("From there: ")[-1].startswith(first)


def test_an_engineer_with_a_degree_is_not_told_to_get_one(data: Interview) -> None:
    answers = dict(goal="practice", interest="systems", strength="engineering", education="bachelors",
                   environment="industry", aspiration="tech_lead")
    message = report.result(knowledge.load(), data, recommend(answers=answers, interview=data), answers, {})  # type: ignore[arg-type]
    assert message.values["role"] == "AI Engineer"
    assert "From there: Hands-on experience" in message.values["next_steps"]
    self_taught = {**answers, "education": "other"}
    message = report.result(knowledge.load(), data, recommend(answers=self_taught, interview=data), self_taught, {})  # type: ignore[arg-type]
    assert message.values["next_steps"].startswith("A degree")


def test_words_that_answered_several_questions_are_quoted_once_in_the_reasons() -> None:
    from bot import knowledge, report
    from bot.interview import load

    data = load()
    said = "Senior backend dev here, 8 years of Java. I'd rather ship products than write papers."
    stated = {"goal": "practice", "interest": "systems"}
    message = report.lean(knowledge.load(), data, stated, {t: said for t in stated})
    assert message.values["reasons"].count("Senior backend dev") == 1
    assert "you said the same thing" in message.values["reasons"]
