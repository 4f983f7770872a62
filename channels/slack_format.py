"""What the bot sends Slack: text escaped for mrkdwn, and buttons as Block Kit."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.answers import MAX_BUTTONS
from bot.notices import chose
from bot.report import MARKDOWN_MARKS

_MARKDOWN_ESCAPE = re.compile(f"\\\\([{re.escape(MARKDOWN_MARKS)}])")
MAX_SECTION_CHARS = 3000  # Slack rejects a section block with longer text
MAX_BUTTON_TITLE_CHARS = 75


def escape(text: str) -> str:
    """Text safe to send as mrkdwn: no user-typed <!channel>, <@someone> or link markup survives.

    Markdown's backslash escapes (bot/report.py escapes quoted answers) mean nothing to Slack: the
    marks go back to plain characters first, then &, < and > are escaped as Slack asks."""
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of &, < and > in what a user typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def sections(mrkdwn: str) -> list[dict[str, Any]]:
    """Section blocks holding this (already escaped) text, split at line ends to fit Slack's limit."""
    chunks: list[str] = []
    for line in mrkdwn.split("\n"):
        while len(line) > MAX_SECTION_CHARS:
            chunks.append(line[:MAX_SECTION_CHARS])
            line = line[MAX_SECTION_CHARS:]
        if chunks and len(chunks[-1]) + 1 + len(line) <= MAX_SECTION_CHARS:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks if chunk.strip()]


def _title(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_TITLE_CHARS else text[: MAX_BUTTON_TITLE_CHARS - 1] + "…"


def button_blocks(text: str, buttons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text and the first MAX_BUTTONS buttons; a click sends the button's payload back as the user's message."""
    elements = [
        {
            "type": "button",
            "action_id": f"button-{index}",
            "text": {"type": "plain_text", "text": _title(str(button.get("title") or button["payload"]))},
            "value": str(button["payload"]),
        }
        for index, button in enumerate(buttons[:MAX_BUTTONS])
    ]
    return [*sections(escape(text)), {"type": "actions", "elements": elements}]


def answered_blocks(blocks: Iterable[dict[str, Any]], *, fallback: str, choice: str, user: str) -> list[dict[str, Any]]:
    """A clicked message's blocks with its buttons replaced by who chose what (`fallback`: its escaped text)."""
    kept = [block for block in blocks if block.get("type") != "actions"] or sections(fallback)
    chosen = {"type": "mrkdwn", "text": chose(user=f"<@{user}>", choice=f"*{escape(choice)}*")}
    return [*kept, {"type": "context", "elements": [chosen]}]
