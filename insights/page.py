"""The report as one self-contained HTML page: charts drawn in inline SVG, no script, nothing fetched.

The page's own Content-Security-Policy (in a meta tag, and as a header where the server sends it)
allows its one style sheet, by hash, and nothing else: no script, image, font or connection to any
host. Channels are tabs made of radio buttons and CSS. Every text is HTML-escaped; conversation ids
never appear, and message texts only in the "could not answer" list, already masked (privacy.py).
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape

from insights.figures import Count, Figures, Funnel, Results, Unanswered
from insights.report import Insights
from insights.tables import channel_name

STYLE = """
:root{--ink:#1d2433;--muted:#5b6475;--line:#e3e6ec;--bg:#f6f7f9;--a:#2f6fdf;--b:#e07b39;--c:#3a9d6a;--d:#9a5cc6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:20px 28px 8px}
h1{margin:0 0 4px;font-size:22px}
h2{font-size:17px;margin:0 0 10px}
h3{font-size:14px;margin:0 0 6px;color:var(--muted)}
.meta{color:var(--muted);margin:0}
form{margin:10px 0 0;display:flex;gap:8px;align-items:center;flex-wrap:wrap;color:var(--muted)}
input[type=date],button{font:inherit;padding:3px 6px}
.tab{position:absolute;opacity:0}
nav{display:flex;gap:4px;padding:8px 28px 0;border-bottom:1px solid var(--line);flex-wrap:wrap}
nav label{padding:8px 14px;border:1px solid var(--line);border-bottom:none;border-radius:6px 6px 0 0;cursor:pointer}
nav label{background:#fff;color:var(--muted)}
nav label b{color:var(--ink);font-weight:600;margin-left:4px}
.panel{display:none;padding:18px 28px 40px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-bottom:18px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:13px}
section.box{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:14px 24px}
svg{display:block;max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg text{fill:var(--ink)}
svg .n{fill:var(--muted)}
.a{fill:var(--a)}
.b{fill:var(--b)}
.c{fill:var(--c)}
.d{fill:var(--d)}
.pale{fill:#c9d8f5}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-top:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
.kind{white-space:nowrap;color:var(--muted)}
.ex{color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
.note{color:var(--muted);font-size:13px;margin:8px 0 0}
"""
TOP = 10
EXAMPLES_SHOWN = 40  # groups in the "could not answer" list
PALETTE = ("a", "b", "c", "d")


@dataclass(frozen=True)
class Page:
    html: str
    policy: str  # its Content-Security-Policy: its one style sheet, by hash, and nothing else


def policy_for(style_sheet: str) -> str:
    """A Content-Security-Policy allowing this style sheet and nothing else: no script, no image, no request anywhere."""
    digest = base64.b64encode(hashlib.sha256(style_sheet.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; form-action 'self'; base-uri 'none'"


def render(insights: Insights, *, form: bool = False) -> Page:
    """The whole page; with `form`, a form to pick another period (for the server's /insights/)."""
    tabs = "".join(f'<input class="tab" type="radio" name="channel" id="tab-{f.channel}"{" checked" if i == 0 else ""}>'
                   for i, f in enumerate(insights.channels))
    nav = "".join(f'<label for="tab-{f.channel}">{escape(channel_name(f.channel))}<b>{f.conversations:,}</b></label>'
                  for f in insights.channels)
    # Each channel's panel is shown while its tab (a radio button) is checked.
    sheet = STYLE + "".join(f"#tab-{f.channel}:checked~main #panel-{f.channel}{{display:block}}"
                            f"#tab-{f.channel}:checked~nav label[for=tab-{f.channel}]"
                            "{background:var(--bg);color:var(--ink);font-weight:600}"
                            for f in insights.channels)
    policy = policy_for(sheet)
    period = escape(insights.period.describe())
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'
        '<meta name="referrer" content="no-referrer"><title>Career guide: how it is used</title>'
        f"<style>{sheet}</style></head><body>"
        f'<header><h1>How the career guide is used</h1><p class="meta">Conversations from {period}. '
        "Nobody's identity is shown: conversation ids are hashed, and messages appear only in the list of what it "
        f"could not answer, with e-mail addresses and phone numbers masked. Built in {insights.seconds:.1f} s.</p>"
        f"{_form(insights) if form else ''}</header>"
        f"{tabs}<nav>{nav}</nav><main>" + "".join(_panel(f) for f in insights.channels) + "</main></body></html>"
    )
    return Page(html=html, policy=policy)


def _form(insights: Insights) -> str:
    since = datetime.fromtimestamp(insights.period.since, tz=timezone.utc).date()
    until = (datetime.fromtimestamp(insights.period.until, tz=timezone.utc) - timedelta(seconds=1)).date()
    return (f'<form method="get">From <input type="date" name="since" value="{since}"> to <input type="date" name="until" '
            f'value="{until}"> (UTC, both days included) <button type="submit">Show</button></form>')


def _panel(f: Figures) -> str:
    asked = "".join(f"<div><h3>{escape(title)}</h3>{bar_chart(counts[:TOP], colour)}</div>"
                    for title, counts, colour in (("Intents", f.intents, "a"), ("Roles asked about", f.roles, "b"),
                                                  ("Topics", f.aspects, "c"), ("Comparisons, by topic", f.comparisons, "d")))
    return (
        f'<section class="panel" id="panel-{f.channel}">{_cards(f)}'
        f'<section class="box"><h2>What people ask</h2><div class="grid">{asked}</div></section>'
        f'<section class="box"><h2>What it could not answer</h2>{_unanswered(f)}</section>'
        f'<section class="box"><h2>The interview</h2>{_funnel(f.funnel)}</section>'
        f'<section class="box"><h2>Recommendations</h2>{_results(f.results)}</section>'
        "</section>"
    )


def _cards(f: Figures) -> str:
    speed = f.speed
    cards = [(f"{f.conversations:,}", "conversations"), (f"{f.messages:,}", "messages"),
             (f"{f.returning:,}", f"returning ({_share(f.returning, f.conversations)})"),
             (f"{f.funnel.completed:,}", f"interviews completed of {f.funnel.started:,}"),
             (f"{sum(c.count for c in f.unanswered_by_kind):,}", "messages it could not answer"),
             (f"{speed.p50_ms:,} ms" if speed.p50_ms is not None else "-", "reply time, median (p50)"),
             (f"{speed.p95_ms:,} ms" if speed.p95_ms is not None else "-", "reply time, p95"),
             (f"{speed.apologies:,}", f"apologies for a failed action ({speed.apology_share:.2%} of turns)")]
    return '<div class="cards">' + "".join(f'<div class="card"><b>{escape(v)}</b><span>{escape(k)}</span></div>'
                                             for v, k in cards) + "</div>"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def bar_chart(counts: Sequence[Count], colour: str, *, label_width: int = 170, width: int = 440) -> str:
    """Horizontal bars, one per count, labelled, with the number at the end."""
    if not counts:
        return '<p class="empty">None in this period.</p>'
    largest = max(c.count for c in counts) or 1
    room = width - label_width - 60
    rows = []
    for i, count in enumerate(counts):
        y = i * 24
        length = max(room * count.count / largest, 1.0) if count.count else 0.0
        fits = int((label_width - 8) / 6.8)  # characters of 12px text that fit before the bar
        label = count.label if len(count.label) <= fits else count.label[: fits - 1] + "…"
        rows.append(f'<text x="0" y="{y + 16}"><title>{escape(count.label)}</title>{escape(label)}</text>'
                    f'<rect class="{colour}" x="{label_width}" y="{y + 5}" width="{length:.1f}" height="15" rx="2"/>'
                    f'<text class="n" x="{label_width + length + 6:.1f}" y="{y + 17}">{count.count:,}</text>')
    return _svg(width, len(counts) * 24, rows)


def _unanswered(f: Figures) -> str:
    total = sum(c.count for c in f.unanswered_by_kind)
    kinds = bar_chart(list(f.unanswered_by_kind), "b", label_width=120)
    if not f.unanswered:
        return f"{kinds}<p class=\"empty\">Nothing it could not answer in this period.</p>"
    rows = "".join(_unanswered_row(line) for line in f.unanswered[:EXAMPLES_SHOWN])
    more = (f'<p class="note">… and {len(f.unanswered) - EXAMPLES_SHOWN:,} more groups.</p>'
            if len(f.unanswered) > EXAMPLES_SHOWN else "")
    return (f"{kinds}<p class=\"note\">{total:,} messages in all. Messages that say much the same are one line "
            "(declined ones by the topic recognised): what to add to the knowledge base next.</p>"
            '<table><tr><th class="num">messages</th><th class="num">conversations</th><th>kind</th><th>what</th>'
            f"<th>examples</th></tr>{rows}</table>{more}")


def _unanswered_row(line: Unanswered) -> str:
    examples = "<br>".join(f"“{escape(e)}”" for e in line.examples)
    return (f'<tr><td class="num">{line.count:,}</td><td class="num">{line.conversations:,}</td>'
            f'<td class="kind">{escape(line.kind)}</td><td>{escape(line.label)}</td><td class="ex">{examples}</td></tr>')


def _funnel(funnel: Funnel) -> str:
    if not funnel.started:
        return '<p class="empty">No interview in this period.</p>'
    label_width, room = 200, 330
    rows = []
    for i, q in enumerate(funnel.questions):
        y = i * 30
        asked, answered = (room * n / funnel.started for n in (q.asked, q.answered))
        rows.append(f'<text x="0" y="{y + 18}">{i + 1}. {escape(q.label)}</text>'
                    f'<rect class="pale" x="{label_width}" y="{y + 6}" width="{max(asked, 1):.1f}" height="16" rx="2"/>'
                    f'<rect class="a" x="{label_width}" y="{y + 6}" width="{max(answered, 1):.1f}" height="16" rx="2"/>'
                    f'<text class="n" x="{label_width + room + 8}" y="{y + 18}">{q.answered:,} of {q.asked:,} answered; '
                    f"stopped {q.stopped:,}, left {q.unfinished:,}</text>")
    chart = _svg(label_width + room + 340, len(funnel.questions) * 30, rows)
    answers = funnel.by_button + funnel.typed + funnel.earlier
    ways = bar_chart([Count("by button", funnel.by_button), Count("typed", funnel.typed),
                      Count("said earlier", funnel.earlier)], "c", label_width=170)
    return (f'<p class="meta">Started {funnel.started:,}; completed {funnel.completed:,} '
            f"({_share(funnel.completed, funnel.started)}), stopped {funnel.stopped:,}, started over "
            f"{funnel.started_over:,}, unfinished {funnel.unfinished:,}. Light bars: asked; dark: answered.</p>{chart}"
            f"<div class=\"grid\"><div><h3>How questions were answered ({answers:,})</h3>{ways}"
            f'<p class="note">Answers that came after the question was asked again: {funnel.reasked:,} '
            f"({_share(funnel.reasked, answers)}).</p></div></div>")


def _results(results: Results) -> str:
    if not results.total:
        return '<p class="empty">No recommendation in this period.</p>'
    verdicts = bar_chart(list(results.verdicts), "b", label_width=170)
    histograms = "".join(f"<div><h3>Match with {escape(role)}, by score</h3>{histogram(buckets, PALETTE[i % len(PALETTE)])}</div>"
                         for i, (role, buckets) in enumerate(results.distribution))
    return (f'<div class="grid"><div><h3>Results given ({results.total:,})</h3>{verdicts}</div>{histograms}</div>'
            '<p class="note">A result is balanced when the two scores are close, a tie when they are equal.</p>')


def histogram(buckets: Sequence[int], colour: str) -> str:
    """Columns for the score buckets 0-9%, ..., 90-100%."""
    largest = max(buckets, default=0) or 1
    width, height, step = 440, 150, 44
    columns = []
    for i, count in enumerate(buckets):
        tall = (height - 40) * count / largest
        x = i * step
        columns.append(f'<rect class="{colour}" x="{x + 6}" y="{height - 20 - tall:.1f}" width="{step - 12}" '
                       f'height="{max(tall, 0.5):.1f}" rx="2"/>'
                       f'<text class="n" x="{x + step / 2}" y="{height - 24 - tall:.1f}" text-anchor="middle">{count:,}</text>'
                       f'<text x="{x + step / 2}" y="{height - 4}" text-anchor="middle">{i * 10}%</text>')
    return _svg(width, height, columns)


def _svg(width: int, height: int, parts: Sequence[str]) -> str:
    """A chart at its own size, shrunk to fit a narrower column."""
    return f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">{"".join(parts)}</svg>'
