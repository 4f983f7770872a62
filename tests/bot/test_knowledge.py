"""The knowledge base file: loads, covers the whole article, and rejects malformed input clearly."""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import knowledge
from bot.knowledge import ROLE_FIELDS, KnowledgeBaseError

ROOT = Path(__file__).resolve().parents[2]
# The source article lives beside the checkout, not in it (it is not ours to copy). Its outline (the
# role, section and heading of each bullet) is kept here, so the coverage check runs anywhere.
ARTICLE = ROOT.parent / "shared" / "seed" / "ai-research-scientist-vs-ai-engineer.txt"
OUTLINE = Path(__file__).with_name("seed_outline.yml")

# Article sections whose bullets are per-role "Title: text" items, and the comparison sections
# whose bullets start with the role's name.
KEYED_SECTIONS = {"Key Responsibilities", "Skills and Qualifications", "Typical Projects",
                  "For AI Research Scientists", "For AI Engineers"}
ROLE_SECTIONS = {"Focus and Objectives", "Work Environments", "Career Paths and Growth",
                 "Career Goals", "Interests and Strengths", "Industry Trends"}


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(knowledge.DEFAULT_PATH.read_text(encoding="utf-8"))


def outline_of(article: str) -> list[tuple[str, str, str]]:
    """(role name, section, bullet key) for every bullet of the seed article's text."""
    role, section, out = None, None, []
    for line in article.splitlines():
        line = line.strip()
        if match := re.fullmatch(r"Role of an? (AI .+)", line):
            role = match.group(1)
        elif line.startswith("For AI "):
            section, role = line, line[len("For "):-1]
        elif not line.startswith("- ") and line and len(line) < 60 and not line.endswith(":"):
            section = line
        elif line.startswith("- ") and section:
            head = line[2:].split(":", 1)[0].strip()
            if section in KEYED_SECTIONS or section.startswith("For AI "):
                out.append((role or "", section, head))
            elif section in ROLE_SECTIONS:
                bullet_role = head if head.startswith("AI ") and len(head) < 30 else line[2:].split(" focus")[0]
                name = "AI Research Scientist" if "Research Scientist" in bullet_role else "AI Engineer"
                out.append((name, section, ""))
    return out


def committed_outline() -> list[tuple[str, str, str]]:
    return [(e["role"], e["section"], e["key"]) for e in yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))]


def test_the_committed_outline_is_the_seed_articles() -> None:
    if not ARTICLE.exists():
        pytest.skip(f"the seed article is not beside this checkout ({ARTICLE}): the outline in {OUTLINE.name} "
                    "cannot be checked against it here (the knowledge base is still checked against the outline)")
    article = ARTICLE.read_text(encoding="utf-8")
    outline = outline_of(article)
    assert len(outline) == article.count("\n- "), "the article parser missed bullets"
    written = yaml.safe_dump([{"role": r, "section": s, "key": k} for r, s, k in outline], sort_keys=False)
    assert committed_outline() == outline, f"the article changed: write this to {OUTLINE}:\n{written}"


def test_every_article_bullet_is_in_the_knowledge_base(kb: knowledge.KnowledgeBase) -> None:
    missing = []
    for role_name, section, head in committed_outline():
        role = next(r for r in kb.roles if r.name == role_name)
        sources = {p.source for field in role.fields.values() for p in field}
        wanted = f"{section}: {head}" if head else section
        if not any(s == wanted or s.endswith(f": {head}") and head for s in sources):
            missing.append((role_name, wanted))
    assert not missing, f"article bullets with no knowledge-base point: {missing}"


@pytest.mark.parametrize("term", ["Python", "C++", "MATLAB", "Java", "Scala", "TensorFlow", "PyTorch",
                                  "Keras", "quantum computing", "ethical AI", "healthcare", "automotive",
                                  "open-source", "hyperparameters", "peer-reviewed", "computer vision",
                                  "reinforcement learning", "version control", "agile", "product management",
                                  "AI architect", "technical lead", "startups"])
def test_named_facts_are_carried_over(kb: knowledge.KnowledgeBase, term: str) -> None:
    text = " ".join(p.text + " " + (p.detail or "") for r in kb.roles for f in r.fields.values() for p in f)
    assert term.lower() in text.lower()


def test_roles_have_every_field(kb: knowledge.KnowledgeBase) -> None:
    assert len(kb.roles) == 2
    for role in kb.roles:
        assert set(role.fields) == set(ROLE_FIELDS)
        assert all(role.fields[f] for f in ROLE_FIELDS)


def test_programming_aspect_selects_the_tagged_points(kb: knowledge.KnowledgeBase) -> None:
    engineer = kb.role("ai_engineer")
    points = engineer.points(kb.aspect("programming"))
    assert points and all("programming" in p.topics for p in points)
    assert len(points) < len(engineer.fields["skills"])


def test_a_fact_is_named_by_role_and_point_and_knows_its_topic(kb: knowledge.KnowledgeBase) -> None:
    fact = kb.fact("ai_engineer:building_systems")
    assert "chatbots" in fact.point.text and fact.field == "responsibilities" and fact.ref == "ai_engineer:building_systems"
    assert kb.aspect_of(fact).id == "responsibilities"
    assert kb.aspect_of(kb.fact("ai_engineer:technical_skills")).id == "programming"
    assert kb.aspect_of(kb.fact("ai_research_scientist:summary")).id == "overview"
    with pytest.raises(KeyError):
        kb.fact("ai_engineer:no_such_point")


def broken(raw: dict[str, Any], mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["roles"][1].pop("skills"), r"role 'ai_engineer', field 'skills': is missing"),
        (lambda d: d["roles"][0]["education"].__setitem__(0, {"id": "x", "text": "x"}),
         r"role 'ai_research_scientist', field 'education', point 1, field 'source'"),
        (lambda d: d["roles"][0]["education"][0].pop("id"), r"field 'education', point 1, field 'id': must be a lower_snake_case"),
        (lambda d: d["roles"][1]["career"][1].__setitem__("id", d["roles"][1]["career"][0]["id"]),
         r"role 'ai_engineer': duplicate point id 'specialise_or_lead'"),
        (lambda d: d["roles"][0].__setitem__("name", ""), r"role 'ai_research_scientist', field 'name'"),
        (lambda d: d["roles"][1].__setitem__("id", "Bad Id"), r"field 'id': must be a lower_snake_case"),
        (lambda d: d["roles"][1]["career"].__setitem__(0, "just a string"), r"field 'career', point 1: must be a mapping"),
        (lambda d: d["aspects"]["skills"].__setitem__("field", "salary"), r"aspects.skills.field: 'salary' is not a role field"),
        (lambda d: d.__setitem__("roles", d["roles"][:1]), r"at least two roles"),
        (lambda d: d["roles"].append(copy.deepcopy(d["roles"][0])), r"duplicate role id 'ai_research_scientist'"),
        (lambda d: d["related"]["data_scientist"].__setitem__("nearest", "astronaut"),
         r"related, job 'data_scientist', field 'nearest': 'astronaut' is not a role id"),
        (lambda d: d["related"]["data_scientist"].pop("why"), r"job 'data_scientist', field 'why'"),
    ],
)
def test_malformed_file_names_file_role_and_field(raw: dict[str, Any], mutate: Any, expected: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=expected) as info:
        knowledge.parse(broken(raw, mutate), source="bot/roles.yml")
    assert str(info.value).startswith("bot/roles.yml: ")


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "roles.yml"
    path.write_text("roles: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=f"{re.escape(str(path))}: not valid YAML"):
        knowledge.load(path)


def test_a_third_role_needs_no_code(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    third = copy.deepcopy(data["roles"][1])
    third.update(id="ml_ops_engineer", name="MLOps Engineer", plural="MLOps Engineers", synonyms=["mlops"])
    data["roles"].append(third)
    kb = knowledge.parse(data, source="test")
    assert kb.role("ml_ops_engineer").name == "MLOps Engineer"
    assert len(kb.other_roles(kb.role("ai_engineer"))) == 2


def test_neighbouring_jobs_point_to_a_role_and_say_why(kb: knowledge.KnowledgeBase) -> None:
    assert {"data_scientist", "mlops_engineer"} <= set(kb.related)
    for job in kb.related.values():
        assert kb.role(job.nearest)
        assert job.why and job.name
