"""The core in bot/ knows nothing of Rasa (nor of any other package but yaml), and no code names the roles."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("bot", "actions", "channels", "components", "insights", "server", "stores", "tools")
CORE_MAY_IMPORT = set(sys.stdlib_module_names) | {"__future__", "yaml", "bot"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_bot_core_imports_only_the_standard_library_and_yaml() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_modules(p) - CORE_MAY_IMPORT) for p in (ROOT / "bot").rglob("*.py")
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_the_owners_report_needs_no_rasa_and_no_tensorflow() -> None:
    """`make insights` starts in a second or two: its package loads neither (channels/insights.py serves it inside Rasa)."""
    heavy = {"rasa", "rasa_sdk", "tensorflow", "transformers", "spacy"}
    offenders = {str(p.relative_to(ROOT)): sorted(imported_modules(p) & heavy) for p in (ROOT / "insights").rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_isolation_check_sees_a_rasa_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("def f():\n    from rasa.core.agent import Agent\n    return Agent\n", encoding="utf-8")
    assert imported_modules(module) - CORE_MAY_IMPORT == {"rasa"}


def test_tools_and_shipped_code_never_import_the_tests() -> None:
    offenders = [str(p.relative_to(ROOT)) for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")
                 if "tests" in imported_modules(p)]
    assert not offenders


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
