"""Turn interview answers and a Recommendation into the blanks of the result responses.

The sentences live in domain.yml (utter_interview_summary, utter_recommendation, ...), and the
phrases that go into their blanks in phrases.yml (`result:`); this module quotes the user's own
answers, picks the knowledge-base criteria behind each reason, and lays them out.

Quoted answers are inert: channels render bot text as Markdown (the widget) or mrkdwn (Slack), so
every Markdown mark that could make a link, code or emphasis of a quote is backslash-escaped. "[click me](javascript:…)" is
shown as typed, never as a link; Slack, which has no such escapes, gets the plain characters back
(channels/slack_format.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot import phrases
from bot.answers import BULLET, Button
from bot.interview import NOT_SURE, Interview
from bot.knowledge import KnowledgeBase, Point, Role
from bot.recommender import RECOMMENDED, TIE, Recommendation, recommend

MAX_QUOTE = 80
# What can make a link, an image, code or emphasis in the middle of a line (a quote never starts one). Not
# < and >: the widget shows raw HTML as text, Slack escapes them itself, and rasa-webchat's Markdown
# parser has no escape for < (it would show the backslash).
MARKDOWN_MARKS = "\\`*_[]~"
_MARKDOWN_PUNCTUATION = re.compile(f"([{re.escape(MARKDOWN_MARKS)}])")
#: The interview topic whose answer says which development steps are behind the person.
EDUCATION = "education"
#: A score as a bar of BAR_CELLS characters, filled and empty: plain text, so every channel shows it.
BAR_CELLS, BAR_FILLED, BAR_EMPTY = 10, "█", "░"


@dataclass(frozen=True)
class Message:
    response: str
    values: dict[str, str]
    buttons: tuple[Button, ...] = ()


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_QUOTE:
        text = text[: MAX_QUOTE - 1].rstrip() + "…"
    return phrases.load().quoted(escape_markdown(text))


def escape_markdown(text: str) -> str:
    """`text` with the Markdown marks that could change how it renders backslash-escaped: it renders as typed."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def bar(percent: int) -> str:
    """A match percentage as a text bar of ten cells: 97 fills all ten, 8 one ("█░░░░░░░░░"), 0 none."""
    filled = min(BAR_CELLS, max(0, round(percent * BAR_CELLS / 100)))
    if percent > 0 and filled == 0:
        filled = 1  # a score above nothing shows a sliver
    return BAR_FILLED * filled + BAR_EMPTY * (BAR_CELLS - filled)


def score_lines(kb: KnowledgeBase, rec: Recommendation) -> str:
    """One line per role, best first: its match as a bar and a number, then its name."""
    say = phrases.load()
    return "\n".join(say.line("score", bar=bar(s.percent), percent=str(s.percent), role=kb.role(s.role).name)
                     for s in rec.scores)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def quote_for(interview: Interview, topic_id: str, value: str | None, quotes: dict[str, str]) -> str:
    """The user's own words for a topic if they typed them, else the label of the button they chose."""
    topic = interview.topic(topic_id)
    said = quotes.get(topic_id)
    if said:
        return _quote(said)
    return topic.value(value).label if value and topic.has(value) else topic.value(NOT_SURE).label


def summary(interview: Interview, answers: dict[str, str | None], quotes: dict[str, str]) -> Message:
    lines, seen = [], set()
    for topic in interview.topics:
        value = answers.get(topic.id)
        label = topic.value(value).label if value and topic.has(value) else topic.value(NOT_SURE).label
        said = quotes.get(topic.id)
        shown = f"{_quote(said)} ({label})" if said and said.strip().lower() != label.lower() else label
        if said and said in seen:  # one answer that settled several questions: quoted once
            shown = f"{label} ({phrases.load().line('same_answer')})"
        seen.add(said or "")
        lines.append(f"{BULLET} {topic.label.capitalize()}: {shown}")
    return Message("utter_interview_summary", {"answers": "\n".join(lines)})


def _reason_lines(
    kb: KnowledgeBase, interview: Interview, rec: Recommendation, answers: dict[str, str | None], quotes: dict[str, str]
) -> str:
    role = kb.role(rec.best)
    say = phrases.load()
    groups: dict[str, tuple[list[str], list[str]]] = {}  # criterion -> (topic labels, what was said)
    for reason in rec.reasons:
        topic = interview.topic(reason.topic)
        points = role.fields[topic.criterion_field]
        criterion = _sentence(points[min(topic.criterion_point, len(points)) - 1].text)
        said = quote_for(interview, topic.id, answers.get(topic.id), quotes)
        labels, saids = groups.setdefault(criterion, ([], []))
        labels.append(topic.label)
        if said not in saids:
            saids.append(said)
    # Answers that rest on the same criterion share one line, so no reason repeats another; words
    # already quoted for an earlier reason (one message answered several questions) are not quoted again.
    lines, quoted = [], set()
    for criterion, (labels, saids) in groups.items():
        fresh = [s for s in saids if s not in quoted]
        said = say.all_of(fresh) if fresh else say.line("said_before")
        quoted.update(saids)
        lines.append(f"{BULLET} " + say.line("reason", topic=say.all_of(labels).capitalize(), said=said, criterion=criterion))
    return "\n".join(lines)


def _steps_from_here(role: Role, answers: dict[str, str | None]) -> tuple[list[Point], list[Point]]:
    """The role's development steps the education answer already covers, and the rest."""
    education = answers.get(EDUCATION)
    steps = role.fields["development"]
    done = [p for p in steps if education and education in p.done_by]
    return done, [p for p in steps if p not in done]


def _next_steps(kb: KnowledgeBase, role_id: str, answers: dict[str, str | None]) -> str:
    """The role's development steps, from where the person is: no "a PhD" for someone with one."""
    role = kb.role(role_id)
    done, rest = _steps_from_here(role, answers)
    steps = [p.title or p.text for p in rest]
    listed = "; ".join([steps[0], *(_lower_first(s) for s in steps[1:])]) + "."
    if not done:
        return listed + " " + _sentence(role.fields["education"][0].text)
    done_steps = phrases.load().all_of([_lower_first(p.title or p.text) for p in done])
    already = phrases.load().line("already_done", done=done_steps[:1].upper() + done_steps[1:])
    return f"{already} {listed}"


def why(kb: KnowledgeBase, interview: Interview, rec: Recommendation, answers: dict[str, str | None],
        quotes: dict[str, str]) -> Message:
    """"Why?" after the result: only the reasons behind it, not the whole result again."""
    say = phrases.load()
    buttons = (Button(say.button("more_about_role", role=kb.role(rec.best).name), "ask_role_overview", {"role": rec.best}),
               Button(say.button("compare_both_roles"), "compare_roles"))
    if rec.balanced or not rec.reasons:
        return Message("utter_why_balanced", {"role": kb.role(rec.best).name}, buttons)
    return Message("utter_why_result", {"role": kb.role(rec.best).name,
                                        "reasons": _reason_lines(kb, interview, rec, answers, quotes)}, buttons)


def next_steps(kb: KnowledgeBase, rec: Recommendation, answers: dict[str, str | None]) -> Message:
    """"What should I do next?" after the result: the recommended role's development steps, in
    full, from where the person is (a step their education already covers is said to be done)."""
    role = kb.role(rec.best)
    done, rest = _steps_from_here(role, answers)
    steps = "\n".join(f"• {p.title}: {p.text}" if p.title else f"• {p.text}" for p in rest)
    say = phrases.load()
    if done:
        done_steps = say.all_of([_lower_first(p.title or p.text) for p in done])
        steps = say.line("already_done", done=done_steps[:1].upper() + done_steps[1:]) + "\n" + steps
    buttons = (Button(say.button("more_about_role", role=role.name), "ask_role_overview", {"role": role.id}),
               Button(say.button("compare_both_roles"), "compare_roles"))
    return Message("utter_next_steps", {"role": role.name, "steps": steps}, buttons)


def lean(kb: KnowledgeBase, interview: Interview, stated: dict[str, str], quotes: dict[str, str]) -> Message:
    """What the answers stated so far lean towards, and why, before the interview asks the rest."""
    answers: dict[str, str | None] = {t.id: stated.get(t.id) for t in interview.topics}
    rec = recommend(answers=answers, interview=interview)
    counted = _labels(interview, [t.id for t in interview.topics if t.id in stated])
    if rec.balanced or not rec.reasons:
        return Message("utter_stated_no_lean", {"counted": counted})
    reasons = _reason_lines(kb, interview, replace(rec, reasons=rec.reasons[:2]), answers, quotes)
    return Message("utter_stated_lean", {"role": kb.role(rec.best).name, "reasons": reasons, "counted": counted})


def _lower_first(text: str) -> str:
    """"A PhD" -> "a PhD", leaving acronyms ("PhD", "AI") as they are."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _labels(interview: Interview, topics: tuple[str, ...] | list[str]) -> str:
    return phrases.load().all_of([interview.topic(t).label for t in topics])


def result(
    kb: KnowledgeBase,
    interview: Interview,
    rec: Recommendation,
    answers: dict[str, str | None],
    quotes: dict[str, str],
) -> Message:
    """The recommendation (or the balanced verdict), its reasons, the other role, next steps."""
    say = phrases.load()
    best, second = kb.role(rec.best), kb.role(rec.runner_up)
    buttons = (
        Button(say.button("more_about_role", role=best.name), "ask_role_overview", {"role": best.id}),
        Button(say.button("compare_both_roles"), "compare_roles"),
        Button(say.button("start_over"), "restart_interview"),
    )
    values = {
        "role": best.name,
        "other": second.name,
        "scores": score_lines(kb, rec),
        "reasons": _reason_lines(kb, interview, rec, answers, quotes),
        "next_steps": _next_steps(kb, best.id, answers),
    }
    if rec.verdict == RECOMMENDED:
        offer = _sentence(second.fields["summary"][0].text)
        if rec.counterpoints:
            offer += " " + say.line("also_lines_up", topics=_labels(interview, [r.topic for r in rec.counterpoints]))
        return Message("utter_recommendation", {**values, "other_offer": offer}, buttons)
    if rec.tippers:
        tip = say.line("tip_clearer_answers", topics=_labels(interview, rec.tippers))
    else:
        toward = _labels(interview, [r.topic for r in rec.reasons]) or say.line("toward_unnamed")
        against = _labels(interview, [r.topic for r in rec.counterpoints]) or say.line("against_unnamed")
        tip = say.line("tip_which_matters", toward=toward, against=against)
    values["tippers"] = tip
    if rec.verdict == TIE:
        values["percent"] = str(rec.scores[0].percent)
        return Message("utter_recommendation_tie", values, buttons[1:])  # no role to point to
    values["best_percent"] = str(rec.scores[0].percent)
    values["other_percent"] = str(rec.scores[1].percent)
    return Message("utter_recommendation_balanced", values, buttons)
