"""Compose answers from the knowledge base.

Each function returns the values that fill the blanks of one response in domain.yml, plus the
suggestion buttons to show under it. The sentences around the facts live in domain.yml, the facts
in roles.yml, the button titles in phrases.yml; this module only selects and lays them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot import phrases
from bot.knowledge import Aspect, Fact, KnowledgeBase, Point, RelatedRole, Role

BULLET = "•"
#: The most buttons under one message, on every channel and in bot/interview.yml: plenty for a chat bubble.
MAX_BUTTONS = 5


@dataclass(frozen=True)
class Button:
    title: str
    intent: str
    entities: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    response: str
    values: dict[str, str]
    buttons: tuple[Button, ...] = ()
    #: What the answer was about, kept as conversation context (slots).
    role: str | None = None
    aspect: str | None = None
    detailed: bool = False
    #: The facts quoted, for an answer that gives only some points of its topic (`facts`).
    facts: tuple[str, ...] = ()


def _bullet(point: Point, *, detailed: bool) -> str:
    text = point.text
    if detailed and point.detail:
        text = f"{text} {point.detail}"
    if point.title:
        return f"{BULLET} {point.title}: {text}"
    return f"{BULLET} {text}"


def bullets(points: tuple[Point, ...], *, detailed: bool = False) -> str:
    return "\n".join(_bullet(p, detailed=detailed) for p in points)


def has_more_detail(role: Role, aspect: Aspect) -> bool:
    return any(p.detail for p in role.points(aspect))


def _plain_list(items: list[str]) -> str:
    items = [i[0].lower() + i[1:] if i[:2] != i[:2].upper() else i for i in items]
    return phrases.load().all_of(items)


def brief(role: Role, aspect: Aspect, *, by_title: bool = True) -> str:
    """One line about one role on one aspect, for side-by-side comparisons.

    Several titled points give the list of their titles, unless `by_title` is off: titles every
    role shares ("Career goals, interests and strengths") tell the roles apart by nothing, so
    the line is then the first point itself, never just labels.
    """
    points = role.points(aspect)
    if aspect.topic or all(p.title is None for p in points) or len(points) == 1 or not by_title:
        first = points[0]
        text = first.text
        return text[0].upper() + text[1:]
    listed = _plain_list([p.title or p.text for p in points])
    return listed[:1].upper() + listed[1:] + "."  # not str.capitalize(): "A PhD", not "A phd"


def _suggestions(kb: KnowledgeBase, *, role: Role | None, aspect: Aspect | None) -> tuple[Button, ...]:
    say = phrases.load().button
    buttons: list[Button] = []
    if role is not None and aspect is not None:
        buttons.append(Button(say("tell_me_more"), "ask_more"))
        for other in kb.other_roles(role):
            buttons.append(Button(say("same_for_role", role=other.name), "ask_followup", {"role": other.id, "aspect": aspect.id}))
        if aspect.id != "overview":
            buttons.append(Button(say("compare_aspect", aspect=aspect.label), "compare_roles", {"aspect": aspect.id}))
        else:
            buttons.append(Button(say("compare_roles"), "compare_roles"))
    return tuple(buttons[:MAX_BUTTONS])


def role_aspect(kb: KnowledgeBase, role: Role, aspect: Aspect, *, detailed: bool = False) -> Answer:
    return Answer(
        response="utter_role_aspect",
        values={
            "role": role.name,
            "aspect": aspect.title,
            "points": bullets(role.points(aspect), detailed=detailed),
        },
        buttons=_suggestions(kb, role=role, aspect=aspect),
        role=role.id,
        aspect=aspect.id,
        detailed=detailed or not has_more_detail(role, aspect),
    )


def overview(kb: KnowledgeBase, role: Role) -> Answer:
    duties = kb.aspect("responsibilities")
    return Answer(
        response="utter_role_overview",
        values={
            "role": role.name,
            "summary": role.fields["summary"][0].text,
            "focus": role.fields["focus"][0].text,
            "duties": _plain_list([p.title or p.text for p in role.points(duties)]),
        },
        buttons=_suggestions(kb, role=role, aspect=kb.aspect("overview")),
        role=role.id,
        aspect="overview",
    )


def fact_line(fact: Fact) -> str:
    """One fact as a line naming its role: "• <role> · <title>: <text>", or "• <role>: <text>" untitled."""
    text = fact.point.text
    if fact.point.title:
        return f"{BULLET} {fact.role.name} · {fact.point.title}: {text}"
    return f"{BULLET} {fact.role.name}: {text[0].upper()}{text[1:]}"


def facts(kb: KnowledgeBase, found: list[Fact], aspect: Aspect, *, response: str = "utter_facts",
          values: dict[str, str] | None = None) -> Answer:
    """The one to three facts a question asks about, in `response` (which may lead with a direct
    answer, filled from `values`).

    The context becomes the first fact's role and `aspect`, so "tell me more" gives the rest of
    that topic and "and the other one?" the same topic for the other role.
    """
    first = found[0]
    return Answer(
        response=response,
        values={**(values or {}), "lines": "\n".join(fact_line(f) for f in found)},
        buttons=_suggestions(kb, role=first.role, aspect=aspect),
        role=first.role.id,
        aspect=aspect.id,
        facts=tuple(f.ref for f in found),
    )


def titles_differ(kb: KnowledgeBase, aspect: Aspect) -> bool:
    """Whether the roles' point titles on `aspect` tell them apart (a side-by-side line may list them)."""
    return len({tuple(p.title for p in role.points(aspect)) for role in kb.roles}) > 1


def compare_aspect(kb: KnowledgeBase, aspect: Aspect) -> Answer:
    by_title = titles_differ(kb, aspect)
    lines = "\n".join(f"{BULLET} {role.name}: {brief(role, aspect, by_title=by_title)}" for role in kb.roles)
    say = phrases.load().button
    buttons = [Button(say("role_aspect", role=role.name, aspect=aspect.title), "ask_aspect", {"role": role.id, "aspect": aspect.id})
               for role in kb.roles]
    return Answer(
        response="utter_compare_aspect",
        values={"aspect": aspect.title, "lines": lines},
        buttons=tuple(buttons[:MAX_BUTTONS]),
        aspect=aspect.id,
    )


#: The aspects the overall comparison walks through, in order: short enough for a phone screen.
COMPARISON_ASPECTS = ("focus", "environment")
#: The topics the overall comparison offers next, as buttons.
COMPARISON_NEXT = ("education", "skills", "career")


def compare_all(kb: KnowledgeBase) -> Answer:
    blocks = []
    for role in kb.roles:
        facts = [brief(role, kb.aspect(a), by_title=titles_differ(kb, kb.aspect(a))) for a in COMPARISON_ASPECTS]
        blocks.append(f"{BULLET} {role.name}: " + " ".join(facts))
    say = phrases.load().button
    buttons = [Button(say("compare_aspect", aspect=kb.aspect(a).label), "compare_roles", {"aspect": a})
               for a in COMPARISON_NEXT]
    return Answer(
        response="utter_compare_all",
        values={"lines": "\n".join(blocks)},
        buttons=tuple(buttons),
        aspect="overview",
    )


def ask_role(kb: KnowledgeBase, aspect: Aspect) -> Answer:
    intent = "ask_role_overview" if aspect.id == "overview" else "ask_aspect"
    buttons = [Button(role.name, intent, {"role": role.id, "aspect": aspect.id}) for role in kb.roles]
    buttons.append(Button(phrases.load().button("both_side_by_side"), "compare_roles", {"aspect": aspect.id}))
    if aspect.id == "overview":
        return Answer(response="utter_ask_which_role", values={}, buttons=tuple(buttons[:MAX_BUTTONS]))
    return Answer(
        response="utter_ask_which_role_aspect", values={"aspect": aspect.label}, buttons=tuple(buttons[:MAX_BUTTONS])
    )


def uncovered(kb: KnowledgeBase, topic_id: str, role_id: str | None = None) -> Answer:
    topic = kb.uncovered[topic_id]
    covered = [a.label for a in kb.aspects.values() if a.id != "overview" and a.topic is None]
    say = phrases.load().button
    buttons = [Button(say("compare_aspect", aspect=kb.aspect(a).label), "compare_roles", {"aspect": a}) for a in ("career", "trends")]
    return Answer(
        response="utter_topic_not_covered",
        values={"topic": topic.label, "covered": _plain_list(covered)},
        buttons=tuple(buttons),
        role=role_id,
        aspect=topic_id,  # kept as context: "and for engineers?" is about the same topic
    )


def degree_fit(kb: KnowledgeBase, role: Role, education: str, said: str) -> Answer | None:
    """"I have a bachelor's in mechanical engineering, is that OK for this role?": a direct
    answer first. The role's degree step (the development point whose `done_by` lists education
    answers) says whether the degree `education` (an interview education value) covers it; the
    knowledge base's education fact follows, then the next steps. None if the role has no such step.
    """
    steps = role.fields.get("development", ())
    degree = next((p for p in steps if p.done_by), None)
    if degree is None or not role.fields.get("education"):
        return None
    fits = education in degree.done_by
    rest = [p for p in steps if p is not degree] if fits else list(steps)
    return Answer(
        response="utter_degree_fits" if fits else "utter_degree_not_enough",
        values={"role": role.plural, "one": role.with_article, "said": said, "fact": role.fields["education"][0].text,
                "next": _plain_list([p.title or p.text for p in rest])},
        buttons=_suggestions(kb, role=role, aspect=kb.aspect("education")),
        role=role.id,
        aspect="education",
    )


def menu(kb: KnowledgeBase) -> Answer:
    """The capability menu: what each role does, the comparison, skills, and the interview."""
    say = phrases.load().button
    buttons = [Button(say("what_does_role_do", role=role.with_article), "ask_role_overview", {"role": role.id}) for role in kb.roles]
    buttons.append(Button(say("compare_roles"), "compare_roles"))
    buttons.append(Button(say("skills_each_role_needs"), "compare_roles", {"aspect": "skills"}))
    buttons.append(Button(say("which_role_suits_me"), "start_interview"))
    return Answer(
        response="utter_menu",
        values={"roles": _plain_list([r.name for r in kb.roles])},
        buttons=tuple(buttons[:MAX_BUTTONS]),
    )


def with_menu(kb: KnowledgeBase, response: str) -> Answer:
    """A fixed reply (out of scope, not understood) followed by the capability menu's buttons."""
    menu_ = menu(kb)
    return Answer(response=response, values=menu_.values, buttons=menu_.buttons)


def related_role(kb: KnowledgeBase, job: RelatedRole) -> Answer:
    """Said before answering for the nearest role: which job is not covered, and why this role is near."""
    return Answer(response="utter_related_role", values={"job": job.name, "role": kb.role(job.nearest).name, "why": job.why})


def more(kb: KnowledgeBase, role: Role, aspect: Aspect, *, detail_shown: bool) -> Answer:
    """'Tell me more': the detailed version if there is one, else the next aspect in order."""
    if aspect.id == "overview":
        return role_aspect(kb, role, kb.aspect("responsibilities"))
    if has_more_detail(role, aspect) and not detail_shown:
        return role_aspect(kb, role, aspect, detailed=True)
    return role_aspect(kb, role, next_aspect(kb, aspect))


def next_aspect(kb: KnowledgeBase, aspect: Aspect) -> Aspect:
    order = [a for a in kb.aspects.values() if a.id != "overview" and a.topic is None]
    if aspect not in order:
        return order[0]
    return order[(order.index(aspect) + 1) % len(order)]


def short(kb: KnowledgeBase, role: Role | None, aspect: Aspect) -> Answer:
    """'tl;dr', 'shorter please': the last answer in a line or two.

    One role: its first fact on the topic (the summary, for an overview). Both roles: one line
    each, their focus standing for the whole comparison.
    """
    if role is not None:
        text = role.fields["summary"][0].text if aspect.id == "overview" else brief(role, aspect, by_title=titles_differ(kb, aspect))
        return Answer(
            response="utter_in_short",
            values={"short": text},
            buttons=_suggestions(kb, role=role, aspect=aspect),
            role=role.id,
            aspect=aspect.id,
        )
    topic = kb.aspect("focus") if aspect.id == "overview" else aspect
    by_title = titles_differ(kb, topic)
    text = "\n".join(f"{BULLET} {r.name}: {_first_sentence(brief(r, topic, by_title=by_title))}" for r in kb.roles)
    return Answer(response="utter_in_short", values={"short": text}, aspect=aspect.id)


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text
