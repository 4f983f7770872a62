"""The core in bot/ knows nothing of Rasa, and no code names the roles (they come from data)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("bot", "actions", "components", "stores", "scripts")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_bot_core_does_not_import_rasa() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_modules(p) & {"rasa", "rasa_sdk"})
        for p in (ROOT / "bot").rglob("*.py")
        if "channels" not in p.parts
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_no_code_names_a_role() -> None:
    pattern = re.compile(r"research[ _]scientist|ai[ _]engineer", re.IGNORECASE)
    hits = [
        f"{p.relative_to(ROOT)}:{n}"
        for d in CODE_DIRS
        for p in (ROOT / d).rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not hits, f"role names belong in bot/roles.yml, not in code: {hits}"
