"""`make bench` compares our pipeline with and without the meaning components, side by side."""
from __future__ import annotations

from pathlib import Path

import yaml

from tools.bench import MEANING_COMPONENTS, without_meaning


def test_the_no_meaning_pipeline_is_ours_minus_the_meaning_components(tmp_path: Path) -> None:
    ours = yaml.safe_load(Path("config.yml").read_text(encoding="utf-8"))
    other = yaml.safe_load(without_meaning(tmp_path).read_text(encoding="utf-8"))
    names = [step["name"] for step in ours["pipeline"]]
    assert set(MEANING_COMPONENTS) <= set(names)
    assert [step["name"] for step in other["pipeline"]] == [n for n in names if n not in MEANING_COMPONENTS]
    assert other["policies"] == ours["policies"]
