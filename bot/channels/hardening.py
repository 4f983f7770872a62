"""What each of our channels installs into Rasa once, at server start, whichever channels are on.

- speedups: compiled validation of action-server replies;
- faults: an apology within seconds when the action server is down or hanging;
- message_limit: a polite note instead of an answer for over-long messages;
- admission: at most a few turns at once per server, the rest waiting their turn.
"""
from __future__ import annotations

from bot.channels import admission, faults, message_limit, speedups


def apply() -> None:
    """Idempotent: each part installs itself at most once."""
    speedups.apply()
    faults.apply()
    message_limit.apply()
    admission.apply()
