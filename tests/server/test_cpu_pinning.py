"""RASA_CPUS: a Rasa server pinned, with every thread, to the CPUs it names (server/rasa_server.py)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from server.cpus import CpuConfigError, cpus_from_env

ROOT = Path(__file__).resolve().parents[2]
EIGHT = set(range(8))


@pytest.mark.parametrize(("spec", "expected"), [
    ("", None),
    ("  ", None),
    ("1", {1}),
    ("0,2", {0, 2}),
    ("2-4", {2, 3, 4}),
    (" 0, 5-6 ", {0, 5, 6}),
])
def test_cpu_lists(spec: str, expected: set[int] | None) -> None:
    assert cpus_from_env({"RASA_CPUS": spec}, EIGHT) == expected


def test_unset_means_not_pinned() -> None:
    assert cpus_from_env({}, EIGHT) is None


@pytest.mark.parametrize("spec", ["one", "1;2", "3-1", "-1", "1,", "0x1"])
def test_what_is_not_a_cpu_list_is_refused(spec: str) -> None:
    with pytest.raises(CpuConfigError, match="is not a CPU list"):
        cpus_from_env({"RASA_CPUS": spec}, EIGHT)


def test_a_cpu_the_process_may_not_use_is_refused_by_number() -> None:
    with pytest.raises(CpuConfigError, match=r"names CPU\(s\) \[9\], but this process may only use \[0, 1\]"):
        cpus_from_env({"RASA_CPUS": "1,9"}, {0, 1})


def test_threads_running_before_and_started_after_are_pinned() -> None:
    cpu = min(os.sched_getaffinity(0))
    script = textwrap.dedent(f"""
        import os, threading
        from server.cpus import pin_to
        ready, done = threading.Event(), threading.Event()
        seen = {{}}
        def early():
            ready.set()
            done.wait()
            seen["early"] = os.sched_getaffinity(0)
        thread = threading.Thread(target=early)
        thread.start()
        ready.wait()
        pin_to({{{cpu}}})
        late = threading.Thread(target=lambda: seen.update(late=os.sched_getaffinity(0)))
        late.start(); late.join()
        done.set(); thread.join()
        print(sorted(seen["early"]), sorted(seen["late"]), sorted(os.sched_getaffinity(0)))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == f"[{cpu}] [{cpu}] [{cpu}]"


def test_the_server_refuses_to_start_with_a_bad_cpu_list() -> None:
    result = subprocess.run([sys.executable, "-m", "server.rasa_server", "--port", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_CPUS": "4096"})
    assert result.returncode == 2
    assert "Rasa server not started: RASA_CPUS=4096 names CPU(s) [4096]" in result.stderr
