from __future__ import annotations

import os

os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's per-message debug logs drown test output
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Servers, running_servers

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "career.tar.gz"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it for you)")
    return MODEL


@pytest.fixture(scope="session")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(model=trained_model, log_dir=tmp_path_factory.mktemp("servers")) as running:
        yield running
