"""What each of our channels installs into Rasa once, at server start, whichever channels are on.

- speedups: compiled validation of action-server replies;
- faults: an apology within seconds when the action server is down or hanging;
- message_limit: a polite note instead of an answer for over-long messages.
"""
from __future__ import annotations

from bot.channels import faults, message_limit, speedups


def apply() -> None:
    """Idempotent: each part installs itself at most once."""
    speedups.apply()
    faults.apply()
    message_limit.apply()
