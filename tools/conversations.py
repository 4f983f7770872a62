"""The blind conversation set, run against a live assistant: the share of turns a user would call right.

    python -m tools.conversations [--url http://localhost:5005] [--only c01,c07] [-v]

tests/conversations/blind_conversations.yml holds multi-turn conversations written without the
training data (personas in their own voice, typos, digressions, corrections, the interview). Each
turn says what the reply must show (`expect`: every pattern found) and must not (`reject`: none
found), in the bot's messages for that turn joined by newlines, button titles included. Every
conversation runs under a fresh sender id. tests/e2e/test_e2e_conversations.py runs the same set
in `make test` against the real servers and holds the floor.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = ROOT / "tests" / "conversations" / "blind_conversations.yml"

#: Sends one message as one sender and returns the bot's messages (REST channel format).
Say = Callable[[str, str], list[dict[str, Any]]]


@dataclass(frozen=True)
class Turn:
    conversation: str
    index: int
    said: str
    reply: str
    problem: str | None  # None when the reply is right

    @property
    def right(self) -> bool:
        return self.problem is None


def load(path: Path = CONVERSATIONS) -> list[dict[str, Any]]:
    import yaml

    conversations: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    return conversations


def reply_text(messages: list[dict[str, Any]]) -> str:
    """What a user sees of one turn: every message's text and its buttons' titles."""
    parts = []
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]))
        parts.extend(str(b.get("title", "")) for b in message.get("buttons") or [])
    return "\n".join(parts)


def problem_with(reply: str, turn: dict[str, Any]) -> str | None:
    """Why `reply` fails the turn's expectations, or None if it meets them."""
    for pattern in turn.get("expect") or []:
        if not re.search(pattern, reply):
            return f"expected {pattern}"
    for pattern in turn.get("reject") or []:
        found = re.search(pattern, reply)
        if found:
            return f"rejected {pattern} (found {found.group(0)[:60]!r})"
    return None


def run(say: Say, conversations: list[dict[str, Any]]) -> list[Turn]:
    """Every turn of every conversation, each conversation under a fresh sender."""
    turns = []
    for conversation in conversations:
        sender = f"blind-{conversation['id']}-{uuid.uuid4().hex[:8]}"
        for index, turn in enumerate(conversation["turns"]):
            reply = reply_text(say(sender, str(turn["say"])))
            turns.append(Turn(conversation["id"], index, str(turn["say"]), reply, problem_with(reply, turn)))
    return turns


def share_right(turns: list[Turn]) -> float:
    return sum(t.right for t in turns) / len(turns) if turns else 0.0


def report(turns: list[Turn], *, verbose: bool = False) -> str:
    wrong = [t for t in turns if not t.right]
    conversations = {t.conversation for t in turns}
    lines = [f"{share_right(turns):.1%} of {len(turns)} turns right ({len(turns) - len(wrong)}), "
             f"{len(conversations)} conversations, {len(conversations - {t.conversation for t in wrong})} entirely right"]
    for turn in wrong:
        lines.append(f"  {turn.conversation} #{turn.index + 1}: {turn.said}\n    {turn.problem}")
        if verbose:
            lines.append("    bot: " + turn.reply.replace("\n", "\n         "))
    return "\n".join(lines)


def rest_say(url: str) -> Say:
    def say(sender: str, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(f"{url.rstrip('/')}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            messages: list[dict[str, Any]] = json.load(response)
        return messages

    return say


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--only", help="comma-separated conversation id prefixes")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the bot's reply to every wrong turn")
    args = parser.parse_args()
    conversations = load()
    if args.only:
        prefixes = tuple(args.only.split(","))
        conversations = [c for c in conversations if str(c["id"]).startswith(prefixes)]
    turns = run(rest_say(args.url), conversations)
    print(report(turns, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
