"""What a server logged while a test ran."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def log_lines_from_now(path: Path) -> Callable[[], list[str]]:
    """A function returning the lines written to the log at `path` since this call."""
    start = path.stat().st_size

    def lines() -> list[str]:
        with path.open("rb") as log:
            log.seek(start)
            return log.read().decode(errors="replace").splitlines()

    return lines
