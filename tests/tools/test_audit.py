"""The dependency audit: reading pins and reviewed findings, and what a pip-audit report means."""
from __future__ import annotations

from pathlib import Path

import pytest

from tools.audit import REVIEWED, AuditError, Finding, judge, load_reviewed, read_pins, stale_reviews

ROOT = Path(__file__).resolve().parents[2]
KNOWN = Finding(id="CVE-2024-3772", package="pydantic", version="1.10.9", fixed_in="1.10.13", held_by="rasa",
                about="ReDoS", why_not_reachable="no e-mail fields")


def test_every_reviewed_finding_matches_a_current_pin() -> None:
    """The offline half of the audit: a changed pin needs its findings reviewed again."""
    assert stale_reviews(load_reviewed(), read_pins()) == []


def test_a_changed_pin_makes_its_review_stale() -> None:
    pins = {"pydantic": "1.10.13"}
    assert stale_reviews([KNOWN], pins) == [
        "CVE-2024-3772: reviewed for pydantic 1.10.9, which is now pinned at 1.10.13; review it again in "
        "dependency-audit.yml (or remove it if fixed)"
    ]
    assert "no longer a dependency" in stale_reviews([KNOWN], {})[0]


def test_the_docs_list_every_reviewed_finding() -> None:
    page = (ROOT / "docs" / "dependency-audit.md").read_text(encoding="utf-8")
    assert [f.id for f in load_reviewed() if f.id not in page] == []


def test_pip_audit_is_pinned_in_its_own_requirements_file() -> None:
    assert "pip-audit" in read_pins(ROOT / "requirements-audit.txt")
    assert "pip-audit" not in read_pins()  # it cannot share Rasa's venv (packaging, CacheControl)


def test_pins_are_read_with_canonical_names() -> None:
    pins = read_pins()
    assert pins["rasa"] == "3.6.21"
    assert pins["typing-extensions"]  # written typing_extensions


def test_a_reviewed_entry_without_a_reason_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "audit.yml"
    bad.write_text(REVIEWED.read_text(encoding="utf-8").replace("why_not_reachable:", "why_not:", 1), encoding="utf-8")
    with pytest.raises(AuditError, match=r"audit.yml: finding 1 \(CVE-[\d-]+\): 'why_not_reachable' is missing or empty"):
        load_reviewed(bad)


def vulnerable(name: str, version: str, vuln_id: str, *aliases: str) -> dict[str, object]:
    return {"name": name, "version": version,
            "vulns": [{"id": vuln_id, "aliases": list(aliases), "fix_versions": ["9.9"], "description": "..."}]}


def test_a_reviewed_finding_is_known_even_under_another_id() -> None:
    report = {"dependencies": [vulnerable("pydantic", "1.10.9", "GHSA-mr82-8j83-vxmv", "CVE-2024-3772"),
                               {"name": "six", "version": "1.17.0", "vulns": []}]}
    verdict = judge(report, [KNOWN])
    assert (verdict.offline, verdict.unreviewed, verdict.unchecked) == (False, [], [])
    assert verdict.known == ["pydantic 1.10.9: GHSA-mr82-8j83-vxmv / CVE-2024-3772 (fixed in 9.9)"]


def test_a_new_finding_or_an_unchecked_dependency_is_reported() -> None:
    report = {"dependencies": [vulnerable("sanic", "21.12.2", "PYSEC-2099-1"), vulnerable("pydantic", "1.10.10", "CVE-2024-3772"),
                               {"name": "six", "skip_reason": "Dependency not found on PyPI and could not be audited: six (1.17.0)"}]}
    verdict = judge(report, [KNOWN])
    assert verdict.unreviewed == ["sanic 21.12.2: PYSEC-2099-1 (fixed in 9.9)",
                                  "pydantic 1.10.10: CVE-2024-3772 (fixed in 9.9)"]  # reviewed for 1.10.9 only
    assert verdict.unchecked == ["six: Dependency not found on PyPI and could not be audited: six (1.17.0)"]


def test_no_vulnerability_data_at_all_is_offline_not_a_pass() -> None:
    report = {"dependencies": [{"name": n, "skip_reason": f"Dependency not found on PyPI and could not be audited: {n} (1)"}
                               for n in ("rasa", "six")]}
    verdict = judge(report, [KNOWN])
    assert verdict.offline and not verdict.known
