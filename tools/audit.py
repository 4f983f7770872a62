"""Dependency audit: pip-audit over requirements.txt, judged against the reviewed list in dependency-audit.yml.

pip-audit cannot share the project's venv: it needs packaging>=23 and CacheControl>=0.13, and
Rasa 3.6 pins packaging<21 and CacheControl<0.13. So it lives in build/audit-venv, installed from
requirements-audit.txt (`make audit` builds it and runs this). It audits requirements.txt exactly
as pinned (--no-deps --disable-pip: nothing is resolved or installed), asking PyPI's vulnerability
data first and OSV's if PyPI's cannot be had.

- A finding not reviewed in dependency-audit.yml, or a dependency pip-audit could not check: fails.
- A reviewed entry whose package is now pinned at another version: fails until reviewed again.
- Neither vulnerability service reachable (as on machines that reach only the package index: PyPI
  answers 404 for per-release data and OSV's API does not resolve): says so plainly and passes,
  after the offline check of the reviewed list against the pins. AUDIT_REQUIRE_ONLINE=1 (for a
  machine with internet access) turns that into a failure.

    python -m tools.audit
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
REVIEWED = ROOT / "dependency-audit.yml"
PIP_AUDIT = ROOT / "build" / "audit-venv" / "bin" / "pip-audit"
SERVICES = ("pypi", "osv")
FIELDS = ("id", "package", "version", "fixed_in", "held_by", "about", "why_not_reachable")
_NOT_FOUND = "Dependency not found on PyPI"


class AuditError(ValueError):
    """A file the audit reads is malformed; the message names the file and the entry."""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path = REQUIREMENTS) -> dict[str, str]:
    """Package name (canonical) -> pinned version, from a requirements file of `name==version` lines."""
    pins = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", text)
        if not match:
            raise AuditError(f"{path}:{number}: not an exact pin (name==version): {text!r}")
        pins[canonical(match[1])] = match[2]
    return pins


@dataclass(frozen=True)
class Finding:
    id: str
    package: str
    version: str
    fixed_in: str
    held_by: str
    about: str
    why_not_reachable: str


def load_reviewed(path: Path = REVIEWED) -> list[Finding]:
    """The reviewed findings; raises AuditError naming the entry and field at fault."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AuditError(f"{path}: expected a list under 'findings'")
    findings = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise AuditError(f"{path}: finding {index + 1} is not a mapping")
        for name in FIELDS:
            if not str(entry.get(name) or "").strip():
                raise AuditError(f"{path}: finding {index + 1} ({entry.get('id', 'no id')}): '{name}' is missing or empty")
        findings.append(Finding(**{name: str(entry[name]).strip() for name in FIELDS}))
    return findings


def stale_reviews(reviewed: Sequence[Finding], pins: Mapping[str, str]) -> list[str]:
    """Reviewed findings whose package is no longer pinned at the version they were reviewed for."""
    stale = []
    for finding in reviewed:
        pinned = pins.get(canonical(finding.package))
        if pinned != finding.version:
            now = f"pinned at {pinned}" if pinned else "no longer a dependency"
            stale.append(f"{finding.id}: reviewed for {finding.package} {finding.version}, which is now {now}; "
                         f"review it again in {REVIEWED.name} (or remove it if fixed)")
    return stale


@dataclass
class Verdict:
    offline: bool = False
    unreviewed: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)


def judge(report: Mapping[str, Any], reviewed: Sequence[Finding]) -> Verdict:
    """What a pip-audit JSON report means, given the reviewed findings."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if dependencies and len(skipped) == len(dependencies) and all(_NOT_FOUND in d["skip_reason"] for d in skipped):
        return Verdict(offline=True)  # every per-release lookup answered 404: the data is not served here
    verdict = Verdict(unchecked=[f"{d['name']}: {d['skip_reason']}" for d in skipped])
    accepted = {(canonical(f.package), f.version, f.id) for f in reviewed}
    for dependency in dependencies:
        name, version = canonical(dependency["name"]), dependency.get("version", "?")
        for vuln in dependency.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no release yet"
            label = f"{dependency['name']} {version}: {' / '.join(ids)} (fixed in {fixed})"
            if any((name, version, vuln_id) in accepted for vuln_id in ids):
                verdict.known.append(label)
            else:
                verdict.unreviewed.append(label)
    return verdict


def run_pip_audit(service: str, *, tool: Path = PIP_AUDIT, requirements: Path = REQUIREMENTS) -> dict[str, Any] | str:
    """pip-audit's JSON report, or a one-line reason it could not produce one."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "report.json"
        result = subprocess.run(
            [str(tool), "-r", str(requirements), "--no-deps", "--disable-pip", "--vulnerability-service", service,
             "--format", "json", "--output", str(output), "--progress-spinner", "off"],
            capture_output=True, text=True, timeout=600,
        )
        if output.exists() and output.stat().st_size:
            report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
            return report
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        if not lines:
            return f"pip-audit exited with {result.returncode} and wrote no report"
        host = re.search(r"host='([^']+)'", lines[-1])
        return f"cannot connect to {host[1]}" if host and "Error" in lines[-1] else lines[-1][:200]


def main() -> int:
    if not PIP_AUDIT.exists():
        print(f"audit: {PIP_AUDIT.relative_to(ROOT)} is missing: run `make audit` (it builds the audit venv)", file=sys.stderr)
        return 2
    try:
        pins, reviewed = read_pins(), load_reviewed()
    except AuditError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2
    stale = stale_reviews(reviewed, pins)
    for line in stale:
        print(f"audit: stale review: {line}", file=sys.stderr)

    reasons = []
    for service in SERVICES:
        report = run_pip_audit(service)
        if isinstance(report, str):
            reasons.append(f"{service}: {report}")
            continue
        verdict = judge(report, reviewed)
        if verdict.offline:
            reasons.append(f"{service}: no per-release vulnerability data is served (every lookup answered 404)")
            continue
        for line in verdict.unchecked:
            print(f"audit: not checked: {line}", file=sys.stderr)
        for line in verdict.unreviewed:
            print(f"audit: NEW FINDING: {line}: upgrade, or review it in {REVIEWED.name}", file=sys.stderr)
        print(f"audit ({service}): {len(pins)} pinned packages; {len(verdict.known)} known findings, reviewed in "
              f"{REVIEWED.name}; {len(verdict.unreviewed)} new; {len(verdict.unchecked)} not checked")
        return 1 if verdict.unreviewed or verdict.unchecked or stale else 0

    print("audit: NOT RUN ONLINE: pip-audit could not reach a vulnerability service from this machine ("
          + "; ".join(reasons) + f"). Checked offline only: the {len(reviewed)} reviewed findings in {REVIEWED.name} "
          f"{'do not all' if stale else 'still'} match the pins in {REQUIREMENTS.name}.")
    if os.environ.get("AUDIT_REQUIRE_ONLINE") == "1":
        print("audit: AUDIT_REQUIRE_ONLINE=1, so this is a failure", file=sys.stderr)
        return 1
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
