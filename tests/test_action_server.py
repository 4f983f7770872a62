"""The action server refuses to start on a malformed knowledge base, naming the fault."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_malformed_knowledge_base_stops_the_action_server(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "bot" / "roles.yml").read_text(encoding="utf-8"))
    del data["roles"][1]["career"]
    bad = tmp_path / "roles.yml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "action_server.py"), "--port", "0"],
        env={**os.environ, "CAREER_KB_FILE": str(bad)}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert f"{bad}: role 'ai_engineer', field 'career': is missing or empty" in result.stderr
    assert "Traceback" not in result.stderr
