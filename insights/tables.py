"""The report as plain-text tables for a terminal (`make insights`)."""
from __future__ import annotations

from collections.abc import Sequence

from insights.figures import ALL, Count, Figures
from insights.report import Insights

CHANNEL_NAMES = {ALL: "all channels", "rest": "REST", "widget": "website widget", "slack": "Slack", "other": "other"}
BAR_WIDTH = 20
SPARKS = "▁▂▃▄▅▆▇█"


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


def render(insights: Insights, *, channel: str = ALL, top: int = 10) -> str:
    """Every section of the report for one channel (all by default), after an overview of every channel."""
    shown = insights.channel(channel)
    parts = [f"Conversations from {insights.period.describe()}", _overview(insights.channels), "",
             f"== {channel_name(channel)} ==", *_asked(shown, top), *_unanswered(shown, top), *_interview(shown),
             *_results(shown), *_speed(shown)]
    return "\n".join(parts)


def _number(value: int) -> str:
    return f"{value:,}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, align: str = "", indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; `align` gives each column "l" or "r" (default: the first left, the rest right)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    sides = align or "l" + "r" * (len(widths) - 1)

    def line(cells: Sequence[str]) -> str:
        padded = (str(c).ljust(w) if side == "l" else str(c).rjust(w) for c, w, side in zip(cells, widths, sides, strict=True))
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def bar(count: int, largest: int) -> str:
    filled = round(BAR_WIDTH * count / largest) if largest else 0
    return "█" * max(filled, 1 if count else 0)


def _overview(channels: Sequence[Figures]) -> str:
    rows = [["conversations", *(_number(f.conversations) for f in channels)],
            ["messages", *(_number(f.messages) for f in channels)],
            ["returning", *(_number(f.returning) for f in channels)]]
    return "\n".join(table(["", *(channel_name(f.channel) for f in channels)], rows))


def _counts(title: str, counts: Sequence[Count], top: int) -> list[str]:
    if not counts:
        return [f"{title}: none"]
    largest = counts[0].count
    total = sum(c.count for c in counts)
    rows = [[c.label, _number(c.count), _share(c.count, total), bar(c.count, largest)] for c in counts[:top]]
    more = [f"  … and {len(counts) - top} more"] if len(counts) > top else []
    return [title, *table(["", "count", "share", ""], rows, align="lrrl"), *more]


def _asked(f: Figures, top: int) -> list[str]:
    return ["", "What people ask", *_counts("intents", f.intents, top), *_counts("roles", f.roles, top),
            *_counts("topics", f.aspects, top), *_counts("comparisons, by topic", f.comparisons, top)]


def _unanswered(f: Figures, top: int) -> list[str]:
    total = sum(c.count for c in f.unanswered_by_kind)
    kinds = ", ".join(f"{c.label} {_number(c.count)}" for c in f.unanswered_by_kind)
    lines = ["", f"What it could not answer: {_number(total)} messages ({kinds})"]
    if not f.unanswered:
        return lines
    rows = [[line.kind, _number(line.count), _number(line.conversations), _clip(line.label, 40),
             " · ".join(f"“{_clip(e, 40)}”" for e in line.examples)] for line in f.unanswered[:top * 2]]
    more = [f"  … and {len(f.unanswered) - top * 2} more groups"] if len(f.unanswered) > top * 2 else []
    return [*lines, *table(["", "messages", "conversations", "what", "examples"], rows, align="lrrll"), *more]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _interview(f: Figures) -> list[str]:
    funnel = f.funnel
    lines = ["", f"Interview: started {_number(funnel.started)}, completed {_number(funnel.completed)} "
                 f"({_share(funnel.completed, funnel.started)}), stopped {_number(funnel.stopped)}, "
                 f"started over {_number(funnel.started_over)}, unfinished {_number(funnel.unfinished)}"]
    rows = [[f"{n}. {q.label}", _number(q.asked), _number(q.answered), _number(q.stopped), _number(q.unfinished)]
            for n, q in enumerate(funnel.questions, 1)]
    answers = funnel.by_button + funnel.typed + funnel.earlier
    lines += table(["question", "asked", "answered", "stopped here", "left here"], rows)
    lines.append(f"  answers: {_number(funnel.by_button)} by button ({_share(funnel.by_button, answers)}), "
                 f"{_number(funnel.typed)} typed ({_share(funnel.typed, answers)}), {_number(funnel.earlier)} from what "
                 f"was said before; {_number(funnel.reasked)} needed a re-ask ({_share(funnel.reasked, answers)})")
    return lines


def _results(f: Figures) -> list[str]:
    results = f.results
    lines = ["", f"Recommendations: {_number(results.total)}"]
    rows = [[c.label, _number(c.count), _share(c.count, results.total), bar(c.count, max(x.count for x in results.verdicts))]
            for c in results.verdicts]
    lines += table(["", "results", "share", ""], rows, align="lrrl")
    lines.append("  score distribution (0-9% … 90-100%):")
    for role, buckets in results.distribution:
        lines.append(f"    {role.ljust(max(len(r) for r, _ in results.distribution))}  {sparkline(buckets)}  {list(buckets)}")
    return lines


def sparkline(counts: Sequence[int]) -> str:
    """One character per count, its height in proportion to the largest; "·" for none."""
    largest = max(counts, default=0)
    return "".join(SPARKS[round((len(SPARKS) - 1) * c / largest)] if c else "·" for c in counts)


def _speed(f: Figures) -> list[str]:
    speed = f.speed
    timed = (f"p50 {speed.p50_ms:,} ms, p95 {speed.p95_ms:,} ms over {_number(speed.turns)} turns"
             if speed.p50_ms is not None and speed.p95_ms is not None else "no timed turns")
    return ["", f"Replies: {timed} (from the stored message to the turn's last reply); "
                f"apologies for a failed action: {_number(speed.apologies)} ({speed.apology_share:.2%} of turns)"]
