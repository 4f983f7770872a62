"""RASA_CPUS: pin a Rasa server, every thread of it, to the CPUs listed ("1", "0,2", "2-3").

With one server per core, each pinned to its own, a server's threads hand work to each other on one
core. Unpinned, two servers on two cores left part of the machine idle while their TensorFlow and
event-loop threads waited to be scheduled on the other, busy core (measured: see docs/performance.md, Load).
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping

CPUS_VARIABLE = "RASA_CPUS"


class CpuConfigError(ValueError):
    """RASA_CPUS names no CPU, or one this process may not use."""


def cpus_from_env(env: Mapping[str, str], allowed: set[int]) -> set[int] | None:
    """The CPUs RASA_CPUS names (None when unset or empty), each one of `allowed`."""
    spec = env.get(CPUS_VARIABLE, "").strip()
    if not spec:
        return None
    cpus: set[int] = set()
    try:
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            low, high = int(first), int(last or first)
            if low < 0 or high < low:
                raise ValueError(part)
            cpus.update(range(low, high + 1))
    except ValueError:
        raise CpuConfigError(f'{CPUS_VARIABLE}="{spec}" is not a CPU list such as "1", "0,2" or "2-3"') from None
    if not cpus <= allowed:
        raise CpuConfigError(f"{CPUS_VARIABLE}={spec} names CPU(s) {sorted(cpus - allowed)}, but this process may "
                             f"only use {sorted(allowed)}")
    return cpus


def pin_to(cpus: set[int], process: int | str = "self") -> None:
    """Run every thread of `process` (this one by default) on `cpus` only; threads they start inherit it."""
    for thread in os.listdir(f"/proc/{process}/task"):
        with contextlib.suppress(ProcessLookupError):  # the thread ended meanwhile
            os.sched_setaffinity(int(thread), cpus)
