"""Start-up with the database or Redis missing: one clear line naming what is missing, no traceback."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from server.preflight import PreflightError, preflight
from tools.harness.cluster import POSTGRES_ADMIN_URL, REDIS_URL
from tools.harness.servers import free_port, running_servers

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-Pa55"


def closed_port() -> int:
    return free_port()  # bound and released at once: nothing listens there


def test_reachable_stores_pass(tmp_path: Path) -> None:
    settings = preflight({"DB_URL": POSTGRES_ADMIN_URL, "REDIS_URL": REDIS_URL, "SANIC_WORKERS": "2"})
    assert settings.redis_url == REDIS_URL
    preflight({"DATA_DIR": str(tmp_path / "new" / "dir")})
    assert (tmp_path / "new" / "dir").is_dir()


def test_an_unreachable_postgres_is_named_without_its_password() -> None:
    port = closed_port()
    with pytest.raises(PreflightError) as caught:
        preflight({"DB_URL": f"postgresql://career:{SECRET}@127.0.0.1:{port}/career"})
    message = str(caught.value)
    assert f"PostgreSQL at 127.0.0.1:{port}, database 'career' (DB_URL)" in message
    assert "Connection refused" in message and SECRET not in message


def test_a_missing_database_is_named() -> None:
    with pytest.raises(PreflightError, match="database \"career_nowhere\" does not exist"):
        preflight({"DB_URL": POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/career_nowhere"})


def test_an_unreachable_redis_is_named_without_its_password() -> None:
    port = closed_port()
    with pytest.raises(PreflightError) as caught:
        preflight({"DB_URL": POSTGRES_ADMIN_URL, "REDIS_URL": f"redis://:{SECRET}@127.0.0.1:{port}/0"})
    message = str(caught.value)
    assert f"lock store, Redis at redis://:***@127.0.0.1:{port}/0 (REDIS_URL)" in message
    assert "refused" in message and SECRET not in message


def test_several_workers_need_redis(tmp_path: Path) -> None:
    with pytest.raises(PreflightError, match="SANIC_WORKERS=2 needs REDIS_URL"):
        preflight({"DATA_DIR": str(tmp_path), "SANIC_WORKERS": "2"})


def test_an_unwritable_data_directory_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(PreflightError, match="data directory .*a-file"):
        preflight({"DATA_DIR": str(blocker / "var")})


def test_make_run_stops_at_once_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "DB_URL": f"postgresql://career:{SECRET}@127.0.0.1:{closed_port()}/career",
           "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port())}
    started = time.monotonic()
    result = subprocess.run(["scripts/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert time.monotonic() - started < 30  # Rasa alone would retry forever
    assert result.stderr.strip().startswith("not started: cannot reach the conversation database, PostgreSQL at")
    assert "Traceback" not in result.stderr + result.stdout and SECRET not in result.stderr


def test_the_test_servers_refuse_to_start_without_redis(tmp_path: Path) -> None:
    with pytest.raises(PreflightError, match="REDIS_URL"), running_servers(
            model=tmp_path / "unused.tar.gz", log_dir=tmp_path,
            extra_env={"REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"}):
        pass
