"""What the bot sends Slack: escaped mrkdwn, and buttons as Block Kit."""
from __future__ import annotations

from bot.report import escape_markdown
from channels.slack_format import (
    MAX_BUTTONS,
    MAX_SECTION_CHARS,
    answered_blocks,
    button_blocks,
    escape,
    sections,
    unescape,
)

BUTTONS = [{"title": f"Option {n}", "payload": f'/inform{{"goal":"g{n}"}}'} for n in range(7)]


def test_user_text_cannot_become_markup() -> None:
    typed = "Tom & Jerry <!channel> <@U123> <https://evil.example|click>"
    assert escape(typed) == "Tom &amp; Jerry &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;"
    assert unescape(escape(typed)) == typed
    assert unescape("&amp;lt;") == "&lt;"  # escaped once by Slack, unescaped once


def test_a_quoted_answer_reaches_slack_as_typed_and_still_inert() -> None:
    typed = "practice [click me](javascript:alert(1)) <!channel> *loud* C:\\temp"
    assert escape(escape_markdown(typed)) == escape(typed)  # Slack has no backslash escapes: none shown
    assert "<!channel>" not in escape(escape_markdown(typed))


def test_buttons_are_block_kit_after_the_text_five_at_most() -> None:
    blocks = button_blocks("Pick one <b>", BUTTONS)
    assert blocks[0] == {"type": "section", "text": {"type": "mrkdwn", "text": "Pick one &lt;b&gt;"}}
    actions = blocks[-1]
    assert actions["type"] == "actions"
    assert len(actions["elements"]) == MAX_BUTTONS
    assert [e["text"]["text"] for e in actions["elements"]] == [f"Option {n}" for n in range(5)]
    assert actions["elements"][2]["value"] == '/inform{"goal":"g2"}'
    assert len({e["action_id"] for e in actions["elements"]}) == MAX_BUTTONS


def test_long_button_titles_are_shortened_to_slacks_limit() -> None:
    (element,) = button_blocks("?", [{"title": "x" * 100, "payload": "/p"}])[-1]["elements"]
    assert len(element["text"]["text"]) == 75 and element["text"]["text"].endswith("…")


def test_long_text_is_split_into_sections_at_line_ends() -> None:
    lines = [f"• point {n} " + "y" * 90 for n in range(80)]
    blocks = sections("\n".join(lines))
    assert len(blocks) > 1
    assert all(len(b["text"]["text"]) <= MAX_SECTION_CHARS for b in blocks)
    assert "\n".join(b["text"]["text"] for b in blocks) == "\n".join(lines)
    one_long_line = sections("z" * (MAX_SECTION_CHARS * 2 + 5))
    assert [len(b["text"]["text"]) for b in one_long_line] == [MAX_SECTION_CHARS, MAX_SECTION_CHARS, 5]


def test_a_clicked_message_shows_who_chose_what_instead_of_its_buttons() -> None:
    blocks = button_blocks("Where would you like to work?", BUTTONS[:3])
    answered = answered_blocks(blocks, fallback="Where would you like to work?", choice="R&D <lab>", user="UALICE")
    assert answered[:-1] == blocks[:-1]
    assert answered[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "<@UALICE> chose *R&amp;D &lt;lab&gt;*"}]}
    rebuilt = answered_blocks([], fallback="Where &amp; when?", choice="Here", user="UALICE")
    assert rebuilt[0] == {"type": "section", "text": {"type": "mrkdwn", "text": "Where &amp; when?"}}
