"""`make insights` (python -m tools.insights): the tables, the page, its own timing, and clear messages when it cannot run."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from tests.support import known_conversations as known
from tools.insights_sample import write

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("DB_URL", "DATA_DIR")}
    return subprocess.run([sys.executable, "-m", "tools.insights", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**environment, "PYTHONPATH": str(ROOT), **env}, timeout=300)


def test_it_reports_the_conversations_the_server_keeps(tmp_path: Path) -> None:
    write(sa.create_engine(f"sqlite:///{tmp_path / 'conversations.db'}"), known.scripts())  # where DATA_DIR puts them
    out = tmp_path / "page.html"
    done = run("--since", "2026-11-02", "--until", "2026-11-11", "--channel", "widget", "--out", str(out),
               env={"DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "Conversations from 2026-11-02 00:00 to 2026-11-12 00:00 UTC" in done.stdout
    assert "== website widget ==" in done.stdout and "mail me at [e-mail] or call [phone]" in done.stdout
    assert re.search(r"Report over 5 conversations \(36 messages\) built in \d+\.\d s \(\d+\.\d s of processor time\)",
                     done.stdout)
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_over_generated_conversations_it_says_how_long_it_took(tmp_path: Path) -> None:
    done = run("--sample", "300", "--out", str(tmp_path / "page.html"), env={})
    assert done.returncode == 0, done.stderr
    assert re.search(r"Generated 300 conversations \([\d,]+ events\)", done.stdout)
    assert re.search(r"Report over 2\d\d conversations \([\d,]+ messages\) built in \d+\.\d s", done.stdout)


def test_without_conversations_or_with_a_bad_setting_it_says_what_is_wrong(tmp_path: Path) -> None:
    done = run(env={"DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert f"insights: no conversations yet: SQLite at {tmp_path / 'conversations.db'}" in done.stderr
    assert "Traceback" not in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    sa.create_engine(f"sqlite:///{empty / 'conversations.db'}").connect().close()  # a database, but no conversations table
    done = run(env={"DATA_DIR": str(empty)})
    assert done.returncode == 2 and "insights: cannot read the conversations (OperationalError:" in done.stderr
    assert "no such table: events" in done.stderr and "Traceback" not in done.stderr
    done = run(env={"DB_URL": "mysql://someone@db/career"})
    assert done.returncode == 2 and "DB_URL: 'mysql' databases are not supported" in done.stderr
    done = run("--since", "last week", env={"DATA_DIR": str(tmp_path)})
    assert done.returncode == 2 and "since 'last week': write a date as YYYY-MM-DD" in done.stderr
    done = run("--since", "2026-11-30", "--until", "2026-11-01", env={"DATA_DIR": str(tmp_path)})
    assert done.returncode == 2 and "the period ends (2026-11-02 00:00) before it starts (2026-11-30 00:00)" in done.stderr
