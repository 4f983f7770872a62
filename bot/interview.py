"""The guided interview: its topics and questions, and mapping free-text answers to values.

Everything here is plain data and pure functions: the questions and answer words live in
bot/interview.yml, and `map_answer` turns "honestly, not really into theory" into a value id.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.answers import MAX_BUTTONS
from bot.knowledge import KnowledgeBaseError, read_yaml

DEFAULT_PATH = Path(__file__).with_name("interview.yml")
PATH_VARIABLE = "CAREER_INTERVIEW_FILE"

NOT_SURE = "not_sure"
BOTH = "both"

NOT_SURE_PHRASES = (
    "not sure", "unsure", "don't know", "dont know", "do not know", "no idea", "dunno", "idk",
    "undecided", "haven't decided", "havent decided", "no preference", "not decided", "no clue",
    "hard to say", "can't say", "cant say", "skip", "pass", "whatever", "either is fine", "no opinion",
    "doesn't matter", "does not matter", "don't mind", "not certain",
)
BOTH_PHRASES = (
    "both", "a mix", "mix of", "mixture", "a bit of each", "a bit of both", "combination", "combine",
    "equally", "hybrid", "balance of", "in between", "somewhere between", "half and half", "each equally",
)
NEGATIONS = (
    "not", "no", "never", "don't", "dont", "do not", "doesn't", "isn't", "aren't", "hate", "dislike",
    "rather than", "instead of", "than", "less", "without", "not really", "not into", "not a fan of", "avoid",
)
#: The question words proper: a clause starting with one asks, with or without a "?".
WH_WORDS = ("what", "which", "who", "whom", "whose", "where", "when", "why", "how")
QUESTION_STARTS = (
    *WH_WORDS, "do ", "does", "did", "is ",
    "are ", "can ", "could", "would", "should", "will ", "tell me", "explain", "compare", "describe",
    "by the way", "btw", "wait", "quick question", "also,",
)


@dataclass(frozen=True)
class Value:
    id: str
    label: str
    button: str | None
    side: str | None
    phrases: tuple[str, ...]
    priority: int = 0


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    question: str
    examples: tuple[str, ...]
    values: tuple[Value, ...]
    criterion_field: str
    criterion_point: int
    names: tuple[str, ...] = ()  # words that name the topic itself ("long term", "my goal")

    def value(self, value_id: str) -> Value:
        for value in self.values:
            if value.id == value_id:
                return value
        raise KeyError(value_id)

    def has(self, value_id: str | None) -> bool:
        return any(v.id == value_id for v in self.values)

    @property
    def buttons(self) -> tuple[Value, ...]:
        return tuple(v for v in self.values if v.button)


@dataclass(frozen=True)
class Interview:
    topics: tuple[Topic, ...]
    weights: dict[str, dict[str, dict[str, float]]]
    balance: float

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)


def default_path() -> Path:
    return Path(os.environ.get(PATH_VARIABLE) or DEFAULT_PATH)


def load(path: Path | None = None) -> Interview:
    """Read and validate the interview file ($CAREER_INTERVIEW_FILE or bot/interview.yml)."""
    return _load(Path(path) if path is not None else default_path())


@lru_cache(maxsize=4)
def _load(path: Path) -> Interview:
    return parse(read_yaml(path), source=str(path))


def parse(raw: Any, *, source: str) -> Interview:
    """Build an Interview from parsed YAML, raising KnowledgeBaseError naming the place at fault."""
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), list):
        raise KnowledgeBaseError(f"{source}: expected a mapping with a 'topics' list")
    topics = []
    for index, item in enumerate(raw["topics"]):
        where = f"{source}: topic {item.get('id', index + 1) if isinstance(item, dict) else index + 1}"
        if not isinstance(item, dict):
            raise KnowledgeBaseError(f"{where}: must be a mapping")
        for key in ("id", "label", "question"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise KnowledgeBaseError(f"{where}, field '{key}': must be a non-empty string")
        values = []
        for value_id, spec in (item.get("values") or {}).items():
            if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
                raise KnowledgeBaseError(f"{where}, value '{value_id}': needs a 'label'")
            values.append(
                Value(
                    id=value_id,
                    label=spec["label"],
                    button=spec.get("button"),
                    side=spec.get("side"),
                    phrases=tuple(str(p).lower() for p in spec.get("phrases") or ()),
                    priority=int(spec.get("priority", 0)),
                )
            )
        if not any(v.id == NOT_SURE for v in values):
            raise KnowledgeBaseError(f"{where}: every topic needs a '{NOT_SURE}' value")
        if len([v for v in values if v.button]) > MAX_BUTTONS:
            raise KnowledgeBaseError(f"{where}: at most {MAX_BUTTONS} values may have a button")
        topics.append(
            Topic(
                id=item["id"],
                label=item["label"],
                question=" ".join(item["question"].split()),
                examples=tuple(item.get("examples") or ()),
                values=tuple(values),
                criterion_field=str((item.get("criterion") or {}).get("field", "choose")),
                criterion_point=int((item.get("criterion") or {}).get("point", 1)),
                names=tuple(str(n).lower() for n in item.get("names") or ()),
            )
        )
    weights = raw.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise KnowledgeBaseError(f"{source}: 'weights' must map each role id to its weights")
    for role_id, per_topic in weights.items():
        for topic in topics:
            row = (per_topic or {}).get(topic.id)
            if not isinstance(row, dict):
                raise KnowledgeBaseError(f"{source}: weights, role '{role_id}', topic '{topic.id}': missing")
            missing = [v.id for v in topic.values if v.id not in row]
            if missing:
                raise KnowledgeBaseError(
                    f"{source}: weights, role '{role_id}', topic '{topic.id}': no weight for {', '.join(missing)}"
                )
    return Interview(topics=tuple(topics), weights=weights, balance=float(raw.get("balance", 0.1)))


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[,;:!?]", " , ", text)
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w&+.,'\- ]", " ", text)).strip() + " "


def _as_word(phrase: str) -> str:
    """A regex for `phrase` as whole words."""
    return r"(?<![\w])" + re.escape(phrase) + r"(?![\w])"


def _find(phrase: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(_as_word(phrase), text)]


def named_topics(interview: Interview, text: str) -> set[str]:
    """The topics a message names by their `names` ("long term", "for my goal")."""
    norm = _normalise(text)
    return {t.id for t in interview.topics if any(_find(n, norm) for n in t.names)}


def _negated(text: str, position: int) -> bool:
    """A negation among the few words before position, within the same clause."""
    clause = re.split(r",| but | just | only | and | though ", text[:position])[-1]
    window = " ".join(clause.split()[-4:])
    return any(re.search(r"(?<![\w])" + re.escape(n) + r"(?![\w])", window) for n in NEGATIONS)


def contains_any(text: str, phrases: tuple[str, ...]) -> bool:
    norm = _normalise(text)
    return any(_find(p, norm) for p in phrases)


@lru_cache(maxsize=32)
def _answer_words(topic: Topic) -> frozenset[str]:
    """The words of a topic's answer phrases that a typo may be taken for (four letters or more)."""
    return frozenset(w for v in topic.values for p in v.phrases for w in re.findall(r"[a-z']+", p.lower()) if len(w) >= 4)


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, dropped, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def spelled(topic: Topic, text: str) -> str:
    """`text` with typos of the topic's answer words put right: "new algoritms, teory" -> "new
    algorithms, theory". A word of five letters or more that is not an answer word and is one edit
    from exactly one answer word is taken for it, unless it is an English word of its own ("trees"
    is not "three"), except for a doubled letter ("programing")."""
    known = _answer_words(topic)
    vocabulary = _vocabulary()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if len(lowered) < 5 or lowered in known:
            return word
        near = [w for w in known if _one_edit_apart(lowered, w)]
        if len(near) != 1:
            return word
        doubled = len(near[0]) == len(lowered) + 1 and any(near[0][:i] + near[0][i + 1:] == lowered and near[0][i] == near[0][i - 1]
                                                          for i in range(1, len(near[0])))
        return near[0] if lowered not in vocabulary or doubled else word

    return re.sub(r"[A-Za-z']+", fix, text)


def _vocabulary() -> frozenset[str]:
    """Common English word forms (from the build's word lists); empty if they are not built."""
    from bot.language import LanguageDataError, function_words

    try:
        return function_words().vocabulary
    except LanguageDataError:
        return frozenset()


def map_answer(topic: Topic, text: str) -> str | None:
    """The value id a free-text answer means for this topic, or None if it can't be told."""
    norm = _normalise(spelled(topic, text))
    if not norm.strip():
        return None
    for phrase in NOT_SURE_PHRASES:  # "not sure" must not negate what follows it
        norm = norm.replace(f" {phrase} ", " , ")
    said: dict[str, float] = {}
    implied: dict[str, float] = {}  # the opposites of what is negated ("not into theory")
    for value in topic.values:
        for phrase in value.phrases:
            for position in _find(phrase, norm):
                if _negated(norm, position):
                    for other in _opposites(topic, value):
                        implied[other.id] = implied.get(other.id, 0) + 1
                else:
                    said[value.id] = said.get(value.id, 0) + 1 + 0.01 * len(phrase)
    # What is said outright beats what a negation implies: "a master's, not a bachelor's" is a master's.
    votes = said or implied
    if topic.has(BOTH) and contains_any(text, BOTH_PHRASES):
        return BOTH
    if votes:
        ranked = sorted(topic.values, key=lambda v: (-v.priority if v.id in votes else 1, -votes.get(v.id, 0)))
        best = ranked[0]
        if best.priority:
            return best.id
        sides = {topic.value(v).side for v in votes if topic.value(v).side in ("research", "engineering")}
        if len(sides) > 1 and topic.has(BOTH) and _close(votes, topic):
            return BOTH
        return best.id
    if contains_any(text, NOT_SURE_PHRASES):
        return NOT_SURE
    return None


def _close(votes: dict[str, float], topic: Topic) -> bool:
    by_side: dict[str, float] = {}
    for value_id, count in votes.items():
        side = topic.value(value_id).side
        if side in ("research", "engineering"):
            by_side[side] = by_side.get(side, 0) + count
    low, high = sorted(by_side.values())[:2] if len(by_side) > 1 else (0, 1)
    return low >= high * 0.5


def _opposites(topic: Topic, value: Value) -> list[Value]:
    if value.side not in ("research", "engineering"):
        return []
    other = "engineering" if value.side == "research" else "research"
    candidates = [v for v in topic.values if v.side == other and v.phrases]
    return candidates[:1]


def looks_like_question(text: str) -> bool:
    """A message that asks something rather than answers (a digression during the interview)."""
    stripped = text.strip().lower()
    if stripped.endswith("?"):
        return True
    return stripped.startswith(QUESTION_STARTS)


def asks_a_question(text: str) -> bool:
    """A sentence that is a real question: it ends in "?" and, after any lead-in ("sorry, before
    that,"), starts with a question word. "do they have to publish a lot? I'm a slow writer" asks;
    "research, I guess?" and "maybe both?" answer, however they end."""
    for sentence in re.findall(r"[^.?!]*\?", text.lower().replace("’", "'")):
        clauses = [c.strip() for c in re.split(r"[,;:]|\s-\s", sentence) if c.strip()]
        while clauses and clauses[0].rstrip("?").strip() in LEAD_INS:
            clauses.pop(0)
        if clauses and clauses[0].startswith(QUESTION_WORDS) and len(clauses[0].split()) >= 2:
            return True
    return False


#: What may come before a question without making it an answer: "sorry, before that, what is ...?"
LEAD_INS = frozenset({
    "sorry", "wait", "ok", "okay", "ok so", "so", "hmm", "hm", "um", "uh", "oh", "ah", "hey", "before that",
    "sorry before that", "quick question", "one question", "btw", "by the way", "also", "but", "and", "actually",
    "hold on", "one sec", "first", "just curious", "out of curiosity", "real quick", "well", "right", "question",
})
QUESTION_WORDS = (
    *WH_WORDS, "do ", "does ", "did ", "is ",
    "are ", "can ", "could ", "would ", "should ", "will ", "isn't", "aren't", "don't", "doesn't", "was ",
    "were ", "have ", "has ", "may ", "must ", "shall ",
)
#: How a request to change an answer starts: "make that a tech company", "actually, change my goal to ...".
CHANGE_REQUEST = re.compile(
    r"\s*(?:(?:actually|no|sorry|wait|oh)[,.]?\s+)?(?:make (?:that|it|my)|change (?:that|it|my)|switch (?:that|it|my)|"
    r"put (?:that|it|me) down as|update my|for my \w+ (?:say|put))\b",
    re.IGNORECASE,
)
#: Words that make a question a request to change an answer ("can you change my goal to research?").
CHANGE_WORDS = re.compile(r"\b(?:change|changing|switch|update|replace|make that|put down)\b", re.IGNORECASE)


#: Asking for the interview by its name: "can we do the interview thing?", "could you run the questionnaire?".
INTERVIEW_REQUEST = re.compile(
    r"\b(?:do|run|start|begin|take|try|give me|make|go through|ready for|doing|redo)\b(?:\s+\w+){0,3}?\s+"
    r"(?:(?:the|your|this|that|a|an|career)\s+)*(?:interview|questionnaire|quiz|assessment)\b"
    r"(?!\s+(?:questions?\s+)?(?:for|at|with)\s+(?!(?:me|him|her|us|them|my|my\s+\w+)\b))",
    re.IGNORECASE,
)
#: Not ours: a job interview, an interviewer, or steering an interview that runs ("stop the interview").
NOT_OUR_INTERVIEW = re.compile(
    r"\b(?:job|hiring|technical|coding|real|actual)\s+interview|\binterviewer|\b(?:stop|quit|end|cancel|leave|exit|restart|reset|"
    r"pause|skip)\b",
    re.IGNORECASE,
)


def requests_the_interview(text: str) -> bool:
    """"Can we do the interview thing?", "could you run the questionnaire for me?": a request to
    start the interview by name, whatever else the message says ("I can't decide about a PhD")."""
    return bool(INTERVIEW_REQUEST.search(text)) and not NOT_OUR_INTERVIEW.search(text)


def stated_answers(interview: Interview, text: str) -> dict[str, str]:
    """The interview answers a message already gives ("I love maths and proofs": strengths), by topic.

    Only clear values count ("not sure" and "both" do not: they are no preference yet).
    """
    return {t.id: v for t in interview.topics for v in [map_answer(t, text)] if v is not None and v not in (NOT_SURE, BOTH)}


#: An answer at least this long may also answer later questions ("I want to do research, I'm
#: finishing a PhD and I'd stay at the university").
LONG_ANSWER_WORDS = 12


def later_answers(interview: Interview, topic: Topic, text: str, *, unanswered: frozenset[str]) -> dict[str, str]:
    """What a long answer to `topic` clearly says about the later, unanswered topics.

    A later topic counts only through words that are not answer words of `topic` itself: in
    "I want to research and publish" the research words answer the goal, not the interests too.
    """
    if len(text.split()) < LONG_ANSWER_WORDS:
        return {}
    own = sorted({p for v in topic.values for p in v.phrases}, key=len, reverse=True)
    rest = text.lower().replace("’", "'")
    for phrase in own:
        rest = re.sub(_as_word(phrase), " ", rest)
    order = [t.id for t in interview.topics]
    later = [t for t in interview.topics if t.id in unanswered and order.index(t.id) > order.index(topic.id)]
    return {t.id: v for t in later for v in [map_answer(t, rest)] if v is not None and v not in (NOT_SURE, BOTH)}


def asks_yes_or_no(text: str) -> bool:
    """"I have a bachelor's, is that OK for the job?", "would a master's be enough?": a
    question that a yes or a no answers (not "which ..." or "what ...")."""
    lowered = text.lower().replace("’", "'")
    if re.search(r"\b(?:is|would|will|does|do|can|could|am|are)\s+(?:that|this|it|my|a|an|i)\b[^?]*\?", lowered):
        return True
    return bool(re.search(r"\b(?:enough|good enough|ok|okay|fine|sufficient|acceptable|count)(?:\s+\w+){0,3}\s*\?", lowered))


def asks_which(text: str) -> bool:
    """"which job is that?", "which of the two fits me?", "what should I pick?": asking which role."""
    return bool(re.search(r"\b(?:which|what should i|what would you|who)\b[^?]*(?:\?|$)|\bfor me\b|\bsuits? me\b|\bfits? me\b",
                          text.lower()))


#: "which sounds like him?", "what suits me better?", "is that right for my daughter?": asking which role fits a person.
ASKS_FIT = re.compile(
    r"\b(?:suits?|fits?|sounds? like|matches|match|right for|better for|best for|good for|more like)\s+"
    r"(?:me|him|her|them|us|my\s+\w+|someone like)\b",
    re.IGNORECASE,
)


def asks_which_fits(text: str) -> bool:
    """A question about which role fits a person, the user or someone they describe."""
    return asks_which(text) and bool(ASKS_FIT.search(text))


def statement_part(text: str) -> str:
    """The message without its questions: "I love maths and proofs, which of the two fits me?" ->
    "I love maths and proofs". What is quoted back as the user's answer is never a question."""
    statements = []
    for sentence in re.findall(r"[^.?!]+[.?!]?", text):
        kept = []
        for clause in (c.strip() for c in re.split(r"[,;:]|\s-\s", sentence) if c.strip()):
            bare = clause.lower().rstrip("?!. ")
            if bare.startswith(WH_WORDS) or (clause.endswith("?") and bare.startswith(QUESTION_WORDS)):
                break  # the question and what follows it in this sentence
            kept.append(clause.rstrip("?"))
        if kept:
            statements.append(", ".join(kept))
    return " ".join(statements).strip(" ,")


#: How a correction starts, after any filler: "oh wait, actually I have a master's now", "sorry, I meant ...".
CORRECTION_START = re.compile(
    r"^\W*(?:(?:oh|ok|okay|hmm|um|uh|ah|so|and|but|no|oops)\W+)*"
    r"(?:actually|correction|i meant|sorry|wait|oops|scratch that|change (?:my|the))\b",
    re.IGNORECASE,
)


def corrects_an_answer(interview: Interview, text: str) -> bool:
    """"oh wait, actually I have a master's now": a correction that gives an interview answer."""
    return bool(CORRECTION_START.search(text)) and bool(changed_answers(interview, text))


def requests_a_change(interview: Interview, text: str) -> bool:
    """After a result: "make that a tech company", or "actually, for interests say both" (a
    correction that names an interview topic and gives it an answer)."""
    if CHANGE_REQUEST.match(text):
        return True
    lowered = text.strip().lower()
    if not lowered.startswith(("actually", "correction", "no, for", "sorry, for", "i meant", "wait, for")):
        return False
    named = named_topics(interview, text)
    return any(topic in named for topic, _ in changed_answers(interview, text))


def changed_answers(interview: Interview, text: str, *, exclude: str | None = None) -> list[tuple[str, str]]:
    """Every (topic, value) that "actually, long term I'd lead a research team" could change.

    A topic the message names ("long term", "for the goal", "for interests say both") narrows
    the choice to it, and may take "both"; otherwise every topic whose answer words appear, with
    a clear value (not "not sure" or "both"). Several left: the caller asks which one.
    """
    found = [(t.id, v) for t in interview.topics if t.id != exclude
             for v in [map_answer(t, text)] if v is not None and v != NOT_SURE]
    named = named_topics(interview, text)
    chosen = [c for c in found if c[0] in named]
    return chosen if chosen else [c for c in found if c[1] != BOTH]


def find_changed_answer(interview: Interview, text: str, *, exclude: str | None = None) -> tuple[str, str] | None:
    """For "actually I have a master's": the (topic, value) the message changes, if clear."""
    found = changed_answers(interview, text, exclude=exclude)
    return found[0] if len(found) == 1 else None
