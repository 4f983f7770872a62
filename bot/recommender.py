"""Score interview answers against each role's weights and explain the result.

Plain Python, no Rasa: `recommend(answers=..., interview=...)` is all an action needs.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.interview import BOTH, NOT_SURE, Interview

#: Reasons shown with a result: at least two where the answers allow, at most four.
MAX_REASONS = 4
#: What a result says: one role recommended, a close result leaning one way, or the same score for both.
RECOMMENDED, BALANCED, TIE = "recommended", "balanced", "tie"


@dataclass(frozen=True)
class RoleScore:
    role: str
    points: float
    maximum: float

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.maximum) if self.maximum else 0


@dataclass(frozen=True)
class Reason:
    topic: str
    value: str
    role: str
    margin: float  # how many more points this answer gave `role` than the runner-up


@dataclass(frozen=True)
class Recommendation:
    scores: tuple[RoleScore, ...]  # best first
    balanced: bool
    reasons: tuple[Reason, ...]  # answers that point to the leading role, strongest first
    counterpoints: tuple[Reason, ...]  # answers that point to the runner-up
    tippers: tuple[str, ...]  # topics whose answer could still tip a balanced result

    @property
    def best(self) -> str:
        return self.scores[0].role

    @property
    def runner_up(self) -> str:
        return self.scores[1].role

    @property
    def verdict(self) -> str:
        """RECOMMENDED, BALANCED (close, leaning to `best`) or TIE (the two best scored the same)."""
        if not self.balanced:
            return RECOMMENDED
        return TIE if self.scores[0].points == self.scores[1].points else BALANCED

    def record(self) -> dict[str, object]:
        """The result as plain data, kept in the conversation when it is given (the owner's report counts it)."""
        return {"verdict": self.verdict, "role": self.best, "scores": {s.role: s.percent for s in self.scores}}


def recommend(*, answers: dict[str, str | None], interview: Interview) -> Recommendation:
    """Total each role's weights for the given answers (missing answers count as not sure)."""
    chosen = {t.id: _answer(t.id, answers, interview) for t in interview.topics}
    scores = []
    for role, weights in interview.weights.items():
        points = sum(float(weights[topic][value]) for topic, value in chosen.items())
        maximum = sum(max(float(w) for w in weights[t.id].values()) for t in interview.topics)
        scores.append(RoleScore(role=role, points=points, maximum=maximum))
    scores.sort(key=lambda s: (-s.points, s.role))
    best, second = scores[0], scores[1]
    ceiling = max(s.maximum for s in scores)
    balanced = (best.points - second.points) < interview.balance * ceiling
    reasons = _reasons(chosen, interview, towards=best.role, against=second.role)
    counterpoints = _reasons(chosen, interview, towards=second.role, against=best.role)
    tippers = tuple(t for t, v in chosen.items() if v in (NOT_SURE, BOTH) or _is_middle(interview, t, v))
    return Recommendation(
        scores=tuple(scores), balanced=balanced, reasons=reasons, counterpoints=counterpoints, tippers=tippers
    )


def _answer(topic: str, answers: dict[str, str | None], interview: Interview) -> str:
    value = answers.get(topic)
    return value if value and interview.topic(topic).has(value) else NOT_SURE


def _is_middle(interview: Interview, topic: str, value: str) -> bool:
    return interview.topic(topic).value(value).side == "middle"


def _reasons(chosen: dict[str, str], interview: Interview, *, towards: str, against: str) -> tuple[Reason, ...]:
    weights = interview.weights
    found = [
        Reason(topic=t, value=v, role=towards, margin=float(weights[towards][t][v]) - float(weights[against][t][v]))
        for t, v in chosen.items()
        if v != NOT_SURE
    ]
    found = [r for r in found if r.margin > 0]
    found.sort(key=lambda r: -r.margin)
    return tuple(found[:MAX_REASONS])
