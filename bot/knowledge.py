"""The role knowledge base: typed, validated, and free of any Rasa import."""
from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).with_name("roles.yml")
#: Environment variable that points the assistant at another knowledge base file.
PATH_VARIABLE = "CAREER_KB_FILE"

#: Fields every role must fill. Each is a list of points.
ROLE_FIELDS = (
    "summary",
    "focus",
    "responsibilities",
    "skills",
    "education",
    "projects",
    "environment",
    "career",
    "development",
    "trends",
    "choose",
)


class KnowledgeBaseError(ValueError):
    """The knowledge base file is malformed; the message names file, role and field."""


@dataclass(frozen=True)
class Point:
    id: str  # unique within its role: `<role id>:<point id>` names the fact (data/nlu_facts.yml)
    text: str
    source: str
    title: str | None = None
    detail: str | None = None
    topics: tuple[str, ...] = ()
    done_by: tuple[str, ...] = ()  # interview education answers that have this step behind them


@dataclass(frozen=True)
class Aspect:
    id: str
    label: str
    title: str
    field: str
    synonyms: tuple[str, ...]
    topic: str | None = None


@dataclass(frozen=True)
class UncoveredTopic:
    id: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class RelatedRole:
    """A neighbouring job people ask about (data scientist, MLOps engineer): not covered itself,
    but answered with the nearest role, saying so and why."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    nearest: str
    why: str


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    plural: str
    article: str
    synonyms: tuple[str, ...]
    fields: Mapping[str, tuple[Point, ...]]

    @property
    def with_article(self) -> str:
        return f"{self.article} {self.name}"

    def points(self, aspect: Aspect) -> tuple[Point, ...]:
        points = self.fields[aspect.field]
        if aspect.topic is None:
            return points
        return tuple(p for p in points if aspect.topic in p.topics)


@dataclass(frozen=True)
class KnowledgeBase:
    roles: tuple[Role, ...]
    aspects: Mapping[str, Aspect]
    uncovered: Mapping[str, UncoveredTopic]
    related: Mapping[str, RelatedRole] = dataclasses.field(default_factory=dict)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def aspect(self, aspect_id: str) -> Aspect:
        return self.aspects[aspect_id]

    def other_roles(self, role: Role) -> tuple[Role, ...]:
        return tuple(r for r in self.roles if r.id != role.id)

    def fact(self, ref: str) -> Fact:
        """The point named `<role id>:<point id>`, with its role and field; KeyError if none."""
        role_id, _, point_id = ref.partition(":")
        role = self.role(role_id)
        for field, points in role.fields.items():
            for point in points:
                if point.id == point_id:
                    return Fact(role, field, point)
        raise KeyError(ref)

    def aspect_of(self, fact: Fact) -> Aspect:
        """The narrowest aspect whose points include `fact` ("programming" before "skills")."""
        fields = [a for a in self.aspects.values() if a.field == fact.field]
        narrow = [a for a in fields if a.topic is not None and a.topic in fact.point.topics]
        return (narrow or [a for a in fields if a.topic is None])[0]


@dataclass(frozen=True)
class Fact:
    """One point of the knowledge base with where it lives: what a fact-level answer quotes."""

    role: Role
    field: str
    point: Point

    @property
    def ref(self) -> str:
        return f"{self.role.id}:{self.point.id}"


def normalise(text: str | None) -> str:
    """Lower-case, fold whitespace and curly apostrophes, and drop punctuation at the edges."""
    if not text:
        return ""
    key = re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))
    return key.strip(" .,!?;:\"'()")


def default_path() -> Path:
    return Path(os.environ.get(PATH_VARIABLE) or DEFAULT_PATH)


def load(path: Path | None = None) -> KnowledgeBase:
    """Read and validate the knowledge base file ($CAREER_KB_FILE or bot/roles.yml), once per path."""
    return _load(Path(path) if path is not None else default_path())


def read_yaml(path: Path) -> Any:
    """Parse a data file, turning a missing file or bad YAML into a KnowledgeBaseError."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeBaseError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: not valid YAML: {exc}") from None


@lru_cache(maxsize=4)
def _load(path: Path) -> KnowledgeBase:
    return parse(read_yaml(path), source=str(path))


def parse(raw: Any, *, source: str) -> KnowledgeBase:
    """Build a KnowledgeBase from already-parsed YAML, raising KnowledgeBaseError on any defect."""
    where = _Where(source)
    if not isinstance(raw, dict):
        raise where.error("the top level must be a mapping with 'aspects', 'uncovered' and 'roles'")
    aspects = _parse_aspects(_require(raw, "aspects", dict, where), where.at("aspects"))
    uncovered = _parse_uncovered(raw.get("uncovered") or {}, where.at("uncovered"))
    roles_raw = _require(raw, "roles", list, where)
    if len(roles_raw) < 2:
        raise where.at("roles").error("at least two roles are needed to compare")
    roles = tuple(_parse_role(item, where, index) for index, item in enumerate(roles_raw))
    _check_unique((r.id for r in roles), where.at("roles"), "role id")
    for aspect in aspects.values():
        if aspect.field not in ROLE_FIELDS:
            raise where.at(f"aspects.{aspect.id}.field").error(
                f"'{aspect.field}' is not a role field (one of {', '.join(ROLE_FIELDS)})"
            )
        if aspect.topic:
            for role in roles:
                if not role.points(aspect):
                    raise where.at(f"role '{role.id}'", aspect.field).error(
                        f"no point is tagged with topic '{aspect.topic}' (needed by aspect '{aspect.id}')"
                    )
    related = _parse_related(raw.get("related") or {}, where.at("related"), {r.id for r in roles})
    return KnowledgeBase(roles=roles, aspects=aspects, uncovered=uncovered, related=related)


class _Where:
    """Builds error messages that point at the exact place in the file."""

    def __init__(self, source: str, *path: str) -> None:
        self.source = source
        self.path = path

    def at(self, *more: str) -> _Where:
        return _Where(self.source, *self.path, *more)

    def error(self, message: str) -> KnowledgeBaseError:
        place = ", ".join(self.path)
        return KnowledgeBaseError(f"{self.source}: {place + ': ' if place else ''}{message}")


def _require(raw: Mapping[str, Any], key: str, kind: type, where: _Where) -> Any:
    if key not in raw or raw[key] in (None, "", [], {}):
        raise where.at(f"field '{key}'").error("is missing or empty")
    value = raw[key]
    if not isinstance(value, kind):
        raise where.at(f"field '{key}'").error(f"must be a {kind.__name__}, not {type(value).__name__}")
    return value


def _text(raw: Mapping[str, Any], key: str, where: _Where, *, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise where.at(f"field '{key}'").error("must be a non-empty string")
    return " ".join(value.split())


def _synonyms(raw: Mapping[str, Any], where: _Where) -> tuple[str, ...]:
    values = _require(raw, "synonyms", list, where)
    bad = [v for v in values if not isinstance(v, str) or not v.strip()]
    if bad:
        raise where.at("field 'synonyms'").error(f"every synonym must be a non-empty string, got {bad!r}")
    return tuple(str(v).strip() for v in values)


def _parse_aspects(raw: Mapping[str, Any], where: _Where) -> dict[str, Aspect]:
    aspects = {}
    for aspect_id, item in raw.items():
        here = where.at(f"aspect '{aspect_id}'")
        if not isinstance(item, dict):
            raise here.error("must be a mapping")
        aspects[aspect_id] = Aspect(
            id=aspect_id,
            label=_text(item, "label", here) or "",
            title=_text(item, "title", here) or "",
            field=item.get("field", aspect_id),
            topic=item.get("topic"),
            synonyms=_synonyms(item, here),
        )
    if "overview" not in aspects:
        raise where.error("an 'overview' aspect is required")
    return aspects


def _parse_uncovered(raw: Mapping[str, Any], where: _Where) -> dict[str, UncoveredTopic]:
    if not isinstance(raw, dict):
        raise where.error("must be a mapping")
    topics = {}
    for topic_id, item in raw.items():
        here = where.at(f"topic '{topic_id}'")
        if not isinstance(item, dict):
            raise here.error("must be a mapping")
        topics[topic_id] = UncoveredTopic(
            id=topic_id, label=_text(item, "label", here) or "", synonyms=_synonyms(item, here)
        )
    return topics


def _parse_related(raw: Mapping[str, Any], where: _Where, role_ids: set[str]) -> dict[str, RelatedRole]:
    if not isinstance(raw, dict):
        raise where.error("must be a mapping")
    related = {}
    for related_id, item in raw.items():
        here = where.at(f"job '{related_id}'")
        if not isinstance(item, dict):
            raise here.error("must be a mapping")
        nearest = item.get("nearest")
        if nearest not in role_ids:
            raise here.at("field 'nearest'").error(f"'{nearest}' is not a role id (one of {', '.join(sorted(role_ids))})")
        related[related_id] = RelatedRole(
            id=related_id,
            name=_text(item, "name", here) or "",
            synonyms=_synonyms(item, here),
            nearest=str(nearest),
            why=_text(item, "why", here) or "",
        )
    return related


def _parse_role(raw: Any, where: _Where, index: int) -> Role:
    if not isinstance(raw, dict):
        raise where.at(f"roles[{index}]").error("must be a mapping")
    role_id = raw.get("id")
    here = where.at(f"role '{role_id}'" if role_id else f"roles[{index}]")
    if not isinstance(role_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", role_id):
        raise here.at("field 'id'").error("must be a lower_snake_case identifier")
    fields = {name: _parse_points(_require(raw, name, list, here), here.at(f"field '{name}'")) for name in ROLE_FIELDS}
    _check_unique((p.id for points in fields.values() for p in points), here, "point id")
    return Role(
        id=role_id,
        name=_text(raw, "name", here) or "",
        plural=_text(raw, "plural", here) or "",
        article=_text(raw, "article", here) or "",
        synonyms=_synonyms(raw, here),
        fields=fields,
    )


def _parse_points(raw: list[Any], where: _Where) -> tuple[Point, ...]:
    points = []
    for index, item in enumerate(raw):
        here = where.at(f"point {index + 1}")
        if not isinstance(item, dict):
            raise here.error("must be a mapping with 'text' and 'source'")
        topics = item.get("topics") or []
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise here.at("field 'topics'").error("must be a list of names")
        point_id = item.get("id")
        if not isinstance(point_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", point_id):
            raise here.at("field 'id'").error("must be a lower_snake_case identifier")
        points.append(
            Point(
                id=point_id,
                text=_text(item, "text", here) or "",
                source=_text(item, "source", here) or "",
                title=_text(item, "title", here, required=False),
                detail=_text(item, "detail", here, required=False),
                topics=tuple(topics),
                done_by=tuple(str(d) for d in item.get("done_by") or ()),
            )
        )
    return tuple(points)


def _check_unique(values: Iterable[str], where: _Where, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise where.error(f"duplicate {what} '{value}'")
        seen.add(value)
