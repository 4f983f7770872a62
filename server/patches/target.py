"""What a patch replaces in Rasa: a function, and the parameters it had when the patch was written."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    owner: Any  # the class or module that holds the function
    attribute: str
    parameters: tuple[str, ...]
    patch: str  # the patch's module, for messages

    @property
    def name(self) -> str:
        owner = getattr(self.owner, "__qualname__", None)
        prefix = f"{self.owner.__module__}.{owner}" if owner else self.owner.__name__
        return f"{prefix}.{self.attribute}"
