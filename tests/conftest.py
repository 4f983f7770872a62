from __future__ import annotations

import os
import secrets

os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's per-message debug logs drown test output
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.harness.servers import Servers, running_servers, stop

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


@pytest.fixture(scope="session")
def api_jwt_secret() -> str:
    return secrets.token_hex(32)


@pytest.fixture(scope="session")
def api_servers(trained_model: Path, api_jwt_secret: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """A second pair with the HTTP API on (JWT) and REST behind a token; the fault tests stop and restart its action server."""
    env = {"RASA_API_ENABLED": "true", "RASA_JWT_SECRET": api_jwt_secret, "REST_TOKEN": secrets.token_hex(32)}
    with running_servers(model=trained_model, log_dir=tmp_path_factory.mktemp("api-servers"), extra_env=env) as running:
        try:
            yield running
        finally:
            stop(running.actions)  # the one the fault tests started again, if they did (tests/support/outages.py)
