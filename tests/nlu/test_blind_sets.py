"""Checks on the blind evaluation sets tests/nlu/aspect_heldout.yml, context_heldout.yml and facts_heldout.yml.

The sets were written without looking at the training data. These tests keep them well-formed, keep
their ids in step with the knowledge base, keep the aspect questions free of their own aspect's lexicon
words (so only meaning can identify the aspect) and keep every text out of the training data (data/nlu*.yml).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import knowledge

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ASPECT_FILE = HERE / "aspect_heldout.yml"
CONTEXT_FILE = HERE / "context_heldout.yml"
FACT_FILE = HERE / "facts_heldout.yml"
MIN_FACT_QUESTIONS = 150
TRAINING_FILES = sorted((ROOT / "data").glob("nlu*.yml"))

MIN_QUESTIONS = 150
MIN_EXCHANGES = 100
MIN_PER_COVERED_ASPECT = 8
KINDS = {"keep", "switch_role", "switch_aspect", "switch_both", "compare", "correction", "narrow"}

_TOKEN = re.compile(r"[a-z0-9+#]+(?:['.][a-z0-9+#]+)*")
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


def _kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    assert data.get("version") == 1, f"{path.name}: version must be 1"
    return data


def _questions() -> list[dict]:
    return _load(ASPECT_FILE)["questions"]


def _exchanges() -> list[dict]:
    return _load(CONTEXT_FILE)["exchanges"]


def _topic_synonyms() -> dict[str, tuple[str, ...]]:
    """Lexicon words per aspect id: covered aspects and uncovered topics alike."""
    kb = _kb()
    words = {aspect_id: aspect.synonyms for aspect_id, aspect in kb.aspects.items()}
    words.update({topic_id: topic.synonyms for topic_id, topic in kb.uncovered.items()})
    return words


def _forms(token: str) -> set[str]:
    """The token plus the bases it could be an inflection of (plural, -ing, -ed, possessive)."""
    forms = {token}
    if token.endswith("'s"):
        token = token[:-2]
        forms.add(token)
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"),
                                ("ed", ""), ("ed", "e"), ("d", ""), ("e", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            forms.add(token[: -len(suffix)] + replacement)
    return forms


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def lexicon_hits(text: str, synonyms: tuple[str, ...]) -> list[str]:
    """The synonyms found in `text`, case-insensitively and word by word, allowing inflections."""
    words = [_forms(t) for t in tokens(text)]
    hits = []
    for synonym in synonyms:
        parts = [_forms(t) for t in tokens(synonym)]
        if not parts:
            continue
        for start in range(len(words) - len(parts) + 1):
            if all(words[start + i] & part for i, part in enumerate(parts)):
                hits.append(synonym)
                break
    return hits


def _strip_annotations(example: str) -> str:
    return _ANNOTATION.sub(r"\1", example)


def _training_texts() -> set[str]:
    texts = set()
    items = [item for path in TRAINING_FILES for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []]
    for item in items:
        examples = item.get("examples") if isinstance(item, dict) else None
        if not isinstance(examples, str):
            continue
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.add(knowledge.normalise(_strip_annotations(line[2:])))
    return texts


def test_files_parse_and_have_the_right_shape() -> None:
    for question in _questions():
        assert set(question) == {"text", "role", "aspect"}, question
        assert isinstance(question["text"], str) and question["text"].strip(), question
    for exchange in _exchanges():
        assert set(exchange) == {"first", "then", "expect", "kind"}, exchange
        assert isinstance(exchange["first"], str) and exchange["first"].strip(), exchange
        assert isinstance(exchange["then"], str) and exchange["then"].strip(), exchange
        assert set(exchange["expect"]) == {"roles", "aspect"}, exchange


def test_counts() -> None:
    assert len(_questions()) >= MIN_QUESTIONS
    assert len(_exchanges()) >= MIN_EXCHANGES


def test_aspect_questions_use_known_ids() -> None:
    kb = _kb()
    role_ids = {role.id for role in kb.roles}
    topics = set(kb.aspects) | set(kb.uncovered)
    for question in _questions():
        assert question["role"] in role_ids | {"both", None}, question
        assert question["aspect"] in topics, question


def test_every_covered_aspect_has_enough_questions() -> None:
    counts = {aspect_id: 0 for aspect_id in _kb().aspects}
    for question in _questions():
        if question["aspect"] in counts:
            counts[question["aspect"]] += 1
    short = {aspect_id: n for aspect_id, n in counts.items() if n < MIN_PER_COVERED_ASPECT}
    assert not short, f"covered aspects with fewer than {MIN_PER_COVERED_ASPECT} questions: {short}"


def test_every_uncovered_topic_is_asked_about() -> None:
    asked = {question["aspect"] for question in _questions()}
    assert set(_kb().uncovered) <= asked


@pytest.mark.parametrize(
    ("text", "synonyms", "expected"),
    [
        ("What SKILLS do I need?", ("skill",), ["skill"]),
        ("is he qualified", ("qualification", "qualified"), ["qualified"]),
        ("what's their day-to-day like", ("day to day",), ["day to day"]),
        ("who's hiring them", ("hire",), ["hire"]),
        ("what do they need to be good at", ("skill", "need to know"), []),
    ],
)
def test_lexicon_matcher(text: str, synonyms: tuple[str, ...], expected: list[str]) -> None:
    assert lexicon_hits(text, synonyms) == expected


def test_aspect_questions_avoid_their_own_lexicon() -> None:
    synonyms = _topic_synonyms()
    offenders = {q["text"]: hits for q in _questions() if (hits := lexicon_hits(q["text"], synonyms[q["aspect"]]))}
    assert not offenders, f"questions that contain a lexicon word of their aspect: {offenders}"


def test_role_null_questions_name_no_role() -> None:
    role_words = tuple(word for role in _kb().roles for word in role.synonyms)
    offenders = {q["text"]: hits for q in _questions() if q["role"] is None and (hits := lexicon_hits(q["text"], role_words))}
    assert not offenders, f"role: null questions that name a role: {offenders}"


def test_exchanges_use_known_ids() -> None:
    kb = _kb()
    role_ids = {role.id for role in kb.roles}
    topics = set(kb.aspects) | set(kb.uncovered)
    for exchange in _exchanges():
        roles = exchange["expect"]["roles"]
        assert isinstance(roles, list) and roles, exchange
        assert len(set(roles)) == len(roles) and set(roles) <= role_ids, exchange
        assert exchange["expect"]["aspect"] in topics, exchange
        assert exchange["kind"] in KINDS, exchange
        if exchange["kind"] == "compare":
            assert set(roles) == role_ids, exchange


def test_every_kind_is_used() -> None:
    assert {exchange["kind"] for exchange in _exchanges()} == KINDS


def test_no_duplicates_within_the_sets() -> None:
    questions = [knowledge.normalise(q["text"]) for q in _questions()]
    assert len(questions) == len(set(questions))
    pairs = [(knowledge.normalise(e["first"]), knowledge.normalise(e["then"])) for e in _exchanges()]
    assert len(pairs) == len(set(pairs))


def _fact_questions() -> list[dict]:
    data = yaml.safe_load(FACT_FILE.read_text(encoding="utf-8"))
    return list(data["questions"])


def test_the_fact_set_names_real_facts_and_covers_every_point_twice() -> None:
    kb = _kb()
    asked: dict[str, int] = {}
    questions = _fact_questions()
    for question in questions:
        assert isinstance(question["text"], str) and question["text"].strip(), question
        for ref in question.get("facts") or []:
            kb.fact(ref)  # KeyError names a fact that is not in bot/roles.yml
            asked[ref] = asked.get(ref, 0) + 1
        assert question.get("facts") or question.get("fact", "missing") is None, question
    every = {f"{role.id}:{p.id}" for role in kb.roles for points in role.fields.values() for p in points}
    assert {ref for ref, n in asked.items() if n >= 2} == every
    assert sum(1 for q in questions if q.get("facts")) >= MIN_FACT_QUESTIONS


def test_no_text_is_in_the_training_data() -> None:
    training = _training_texts()
    assert training, "no examples found in data/nlu.yml"
    ours = [q["text"] for q in _questions()] + [q["text"] for q in _fact_questions()]
    ours += [text for e in _exchanges() for text in (e["first"], e["then"])]
    leaked = sorted({text for text in ours if knowledge.normalise(text) in training})
    assert not leaked, f"texts also in data/nlu.yml: {leaked}"
