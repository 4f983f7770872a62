"""Mapping free-text interview answers to values: many phrasings, negations, "both", unclear."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import interview
from bot.interview import Interview, find_changed_answer, looks_like_question, map_answer
from bot.knowledge import KnowledgeBaseError


@pytest.fixture(scope="module")
def data() -> Interview:
    return interview.load()


CASES = {
    "goal": [
        ('write papers that move the field forward', 'theory'),
        ('understand how learning really works', 'theory'),
        ('invent novel algorithms', 'theory'),
        ('do scientific research', 'theory'),
        ('make useful apps', 'practice'),
        ('build solutions for real problems', 'practice'),
        ('deploy AI in production at scale', 'practice'),
        ('help businesses with AI tools', 'practice'),
        ('something in between research and building', 'both'),
        ('equally research and products', 'both'),
        ('hard to say', 'not_sure'),
        ("I'm undecided", 'not_sure'),
        ("I want to advance AI theory and publish papers", "theory"),
        ("conduct cutting-edge research", "theory"),
        ("contribute new knowledge to the field", "theory"),
        ("discover new methods", "theory"),
        ("push the boundaries of what AI can do", "theory"),
        ("create AI-powered tools for businesses", "practice"),
        ("solve real-world problems with AI", "practice"),
        ("create products people use", "practice"),
        ("ship things to customers", "practice"),
        ("not really into theory", "practice"),
        ("I don't care about products, I want to do research", "theory"),
        ("a mix of research and building products", "both"),
        ("honestly both", "both"),
        ("not sure", "not_sure"),
        ("no idea yet", "not_sure"),
        ("banana", None),
        ("", None),
    ],
    "interest": [
        ('exploring ideas', 'ideas'),
        ('running experiments on new algorithms', 'ideas'),
        ('maths puzzles', 'ideas'),
        ('building infrastructure and pipelines', 'systems'),
        ('shipping features to users', 'systems'),
        ('integrating models into products', 'systems'),
        ('a combination of both', 'both'),
        ('no idea', 'not_sure'),
        ('not into building products, more into theory', 'ideas'),
        ('I hate writing papers, I like coding', 'systems'),
        ("inventing new approaches to machine learning", "ideas"),
        ("machine learning theory", "ideas"),
        ("natural language processing research", "ideas"),
        ("new learning paradigms", "ideas"),
        ("reading papers and running experiments", "ideas"),
        ("building systems that impact users", "systems"),
        ("deploying models to production", "systems"),
        ("recommendation systems", "systems"),
        ("coding apps", "systems"),
        ("I dislike building apps", "ideas"),
        ("both theory and applications", "both"),
        ("dunno", "not_sure"),
    ],
    "strength": [
        ("I'm a strong programmer", 'engineering'),
        ('system design', 'engineering'),
        ('cloud and devops', 'engineering'),
        ('logic and proofs', 'analytical'),
        ('data analysis and statistics', 'analytical'),
        ('physics background, very analytical', 'analytical'),
        ('half and half', 'both'),
        ('coding but also maths', 'both'),
        ('idk', 'not_sure'),
        ('hands-on building', 'engineering'),
        ("mathematics and analysis", "analytical"),
        ("analytical thinking", "analytical"),
        ("designing experiments", "analytical"),
        ("statistics", "analytical"),
        ("writing production code", "engineering"),
        ("software engineering and system design", "engineering"),
        ("coding in Python and Java", "engineering"),
        ("getting things done and delivering results", "engineering"),
        ("math and programming", "both"),
        ("not great at maths, better at coding", "engineering"),
    ],
    "education": [
        ('post-doc in machine learning', 'phd'),
        ('doctoral student', 'phd'),
        ('thinking about a PhD', 'planning_phd'),
        ('want to do a PhD later', 'planning_phd'),
        ('MEng in robotics', 'masters'),
        ('an MBA', 'masters'),
        ('postgraduate degree', 'masters'),
        ('BEng', 'bachelors'),
        ('a university degree in physics', 'bachelors'),
        ('still at school', 'other'),
        ('high school diploma', 'other'),
        ('online courses only', 'other'),
        ("I'm doing a PhD in computer science", "phd"),
        ("PhD in computer vision", "phd"),
        ("doctorate", "phd"),
        ("I plan to start a PhD next year", "planning_phd"),
        ("applying for a PhD", "planning_phd"),
        ("bachelor's degree in computer science", "bachelors"),
        ("BSc in maths", "bachelors"),
        ("undergrad", "bachelors"),
        ("master's degree in software engineering", "masters"),
        ("MSc", "masters"),
        ("master's in artificial intelligence, finished last year", "masters"),
        ("I don't have a PhD, just a bachelor's", "bachelors"),
        ("self-taught", "other"),
        ("a coding bootcamp", "other"),
        ("not sure", "not_sure"),
    ],
    "environment": [
        ('a research institute', 'academia'),
        ('campus life', 'academia'),
        ('working with professors', 'academia'),
        ('a fintech', 'industry'),
        ('big tech', 'industry'),
        ('a consultancy', 'industry'),
        ('an industrial research lab', 'rnd'),
        ('R&D team in a large company', 'rnd'),
        ('a mix of academia and industry', 'both'),
        ("don't mind", 'not_sure'),
        ("an academic research lab", "academia"),
        ("a university", "academia"),
        ("working alongside other scientists in an academic setting", "academia"),
        ("a large software company", "industry"),
        ("a small company building AI tools", "industry"),
        ("an early-stage company", "industry"),
        ("a startup", "industry"),
        ("a corporate R&D department", "rnd"),
        ("research and development at a big firm", "rnd"),
        ("not a university, rather a company", "industry"),
        ("no preference", "not_sure"),
    ],
    "aspiration": [
        ('head of research', 'research_lead'),
        ('chief scientist at a lab', 'research_lead'),
        ('tenure at a university', 'research_lead'),
        ('lecturer', 'research_lead'),
        ('engineering manager', 'tech_lead'),
        ('CTO of a startup', 'tech_lead'),
        ('staff engineer', 'tech_lead'),
        ('specialise in computer vision', 'tech_lead'),
        ('product owner', 'product'),
        ('found my own startup', 'product'),
        ('no idea yet', 'not_sure'),
        ("eventually direct a research department", "research_lead"),
        ("become a professor", "research_lead"),
        ("senior research scientist", "research_lead"),
        ("an academic role", "research_lead"),
        ("become the AI architect for a product", "tech_lead"),
        ("grow into a technical lead position", "tech_lead"),
        ("transition to a product management role", "product"),
        ("product manager", "product"),
        ("not sure yet", "not_sure"),
    ],
}


@pytest.mark.parametrize(("topic", "text", "expected"), [(t, x, e) for t, cases in CASES.items() for x, e in cases])
def test_map_answer(data: Interview, topic: str, text: str, expected: str | None) -> None:
    assert map_answer(data.topic(topic), text) == expected


def test_six_topics_in_order_with_at_most_five_buttons_and_not_sure(data: Interview) -> None:
    assert data.slots == ("goal", "interest", "strength", "education", "environment", "aspiration")
    for topic in data.topics:
        titles = [v.button for v in topic.buttons]
        assert 2 <= len(titles) <= 5
        assert "Not sure" in titles


@pytest.mark.parametrize(
    ("text", "question"),
    [("wait, what do engineers work on?", True), ("By the way, what do AI research scientists do", True),
     ("a startup", False), ("PhD", False), ("how much do they earn", True), ("building products", False)],
)
def test_looks_like_question(text: str, question: bool) -> None:
    assert looks_like_question(text) is question


def test_changed_answer_is_found_in_the_right_topic(data: Interview) -> None:
    assert find_changed_answer(data, "actually I have a master's") == ("education", "masters")
    assert find_changed_answer(data, "actually I'd rather work at a startup") == ("environment", "industry")
    assert find_changed_answer(data, "actually hmm") is None


def test_weights_cover_every_value_for_every_role(data: Interview) -> None:
    for role, per_topic in data.weights.items():
        for topic in data.topics:
            assert set(per_topic[topic.id]) == {v.id for v in topic.values}, (role, topic.id)
            not_sure = {data.weights[r][topic.id]["not_sure"] for r in data.weights}
            assert len(not_sure) == 1, "'not sure' must never tip the result"


def test_malformed_interview_file_is_reported(tmp_path: Path) -> None:
    raw: dict[str, Any] = yaml.safe_load(interview.DEFAULT_PATH.read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    del broken["weights"]["ai_engineer"]["education"]["masters"]
    with pytest.raises(KnowledgeBaseError, match="role 'ai_engineer', topic 'education': no weight for masters"):
        interview.parse(broken, source="bot/interview.yml")
    broken = copy.deepcopy(raw)
    del broken["topics"][2]["values"]["not_sure"]
    with pytest.raises(KnowledgeBaseError, match="topic strength: every topic needs a 'not_sure' value"):
        interview.parse(broken, source="bot/interview.yml")


@pytest.mark.parametrize(
    ("text", "kept"),
    [("I love maths and proofs, which of the two fits me?", "I love maths and proofs"),
     ("I have a master's. Which suits me better?", "I have a master's."),
     ("which role suits me?", ""), ("research, I guess", "research, I guess")],
)
def test_the_statement_part_leaves_the_question_out(text: str, kept: str) -> None:
    assert interview.statement_part(text) == kept


def test_stated_answers_take_only_clear_values(data: Interview) -> None:
    assert interview.stated_answers(data, "I love maths and proofs, which of the two fits me?") == {
        "interest": "ideas", "strength": "analytical"}
    assert interview.stated_answers(data, "I'd rather ship products than write papers") == {
        "goal": "practice", "interest": "systems"}
    assert interview.stated_answers(data, "which role suits me? no idea, a bit of both") == {}


@pytest.mark.parametrize(("topic", "text", "value"), [
    ("goal", "i want make new algoritms, teory", "theory"),
    ("interest", "reserch and new ideas", "ideas"),
    ("environment", "univercity", "academia"),
    ("aspiration", "be profesor", "research_lead"),
])
def test_typos_of_answer_words_are_understood(topic: str, text: str, value: str) -> None:
    assert interview.map_answer(interview.load().topic(topic), text) == value


def test_a_real_word_near_an_answer_word_is_not_taken_for_it() -> None:
    topic = interview.load().topic("strength")
    assert interview.spelled(topic, "trees and lakes") == "trees and lakes"
    assert interview.spelled(topic, "I'm good at programing") == "I'm good at programming"


def test_the_statement_part_keeps_sentences_apart_and_drops_the_question() -> None:
    text = "Senior backend dev here, 8 years of Java. I'd rather ship products than write papers. Which job is that?"
    assert interview.statement_part(text) == "Senior backend dev here, 8 years of Java. I'd rather ship products than write papers."
    assert interview.map_answer(interview.load().topic("education"), "I can't decide about a PhD") == "planning_phd"


def test_what_is_said_outright_beats_what_a_negation_implies() -> None:
    education = interview.load().topic("education")
    assert interview.map_answer(education, "actually I meant a master's, not a bachelor's, for my education") == "masters"
