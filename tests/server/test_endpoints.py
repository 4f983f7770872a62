"""server/endpoints.py and stores/settings.py: the stores an environment asks for, secrets as placeholders."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.utils import AvailableEndpoints

from server.endpoints import write_endpoints
from stores.settings import LOCK_STORE, TRACKER_STORE, SettingsError, StoreSettings

SECRET = "s3cret-Pa55"
ROOT = Path(__file__).resolve().parents[2]


def test_without_settings_conversations_go_to_sqlite_in_the_data_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_ENDPOINT", "http://127.0.0.1:5055/webhook")
    path = tmp_path / "endpoints.yml"
    write_endpoints(path, {"DATA_DIR": str(tmp_path / "data")})
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    assert endpoints.tracker_store.type == TRACKER_STORE
    assert endpoints.tracker_store.url == f"sqlite:///{tmp_path / 'data' / 'conversations.db'}"
    assert endpoints.lock_store is None
    assert endpoints.action.url == "http://localhost:5055/webhook"  # endpoints.yml's default


def test_action_endpoint_overrides_the_default_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "endpoints.yml"
    write_endpoints(path, {"DATA_DIR": str(tmp_path), "ACTION_ENDPOINT": "http://actions:5055/webhook"})
    assert "${ACTION_ENDPOINT}" in path.read_text()  # Rasa fills it in as it starts
    monkeypatch.setenv("ACTION_ENDPOINT", "http://actions:5055/webhook")
    assert AvailableEndpoints.read_endpoints(str(path)).action.url == "http://actions:5055/webhook"


def test_the_root_endpoints_file_works_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTION_ENDPOINT", raising=False)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))  # what plain `rasa run` reads
    assert endpoints.action.url == "http://localhost:5055/webhook"


def test_postgres_and_redis_come_from_the_environment_and_stay_out_of_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"DB_URL": f"postgresql://career:{SECRET}@db:5432/career", "REDIS_URL": f"redis://:{SECRET}@redis:6379/0",
           "REDIS_KEY_PREFIX": "site1"}
    path = tmp_path / "endpoints.yml"
    write_endpoints(path, env)
    assert SECRET not in path.read_text()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ACTION_ENDPOINT", "http://actions:5055/webhook")
    endpoints = AvailableEndpoints.read_endpoints(str(path))  # Rasa fills the ${VAR}s as it starts
    assert endpoints.tracker_store.url == env["DB_URL"]
    assert (endpoints.lock_store.type, endpoints.lock_store.url) == (LOCK_STORE, env["REDIS_URL"])
    assert endpoints.lock_store.kwargs["key_prefix"] == "site1"


def test_endpoints_yml_may_not_set_the_stores_itself(tmp_path: Path) -> None:
    base = tmp_path / "base.yml"
    base.write_text("tracker_store:\n  type: sql\n")
    with pytest.raises(SettingsError, match="tracker_store"):
        write_endpoints(tmp_path / "out.yml", {}, base=base)


@pytest.mark.parametrize(("env", "message"), [
    ({"DB_URL": "mysql://u:p@h/db"}, "'mysql' databases are not supported"),
    ({"DB_URL": "not a url"}, "DB_URL is not a database URL"),
    ({"DB_URL": "postgresql://u:p@h:5432"}, "DB_URL names no database"),
    ({"REDIS_KEY_PREFIX": "my-site"}, "REDIS_KEY_PREFIX must be letters and digits"),
])
def test_settings_that_cannot_work_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        StoreSettings.from_env(env)


def test_heroku_style_postgres_urls_are_accepted_and_passwords_never_described() -> None:
    settings = StoreSettings.from_env({"DB_URL": f"postgres://u:{SECRET}@h/career", "REDIS_URL": f"redis://:{SECRET}@r:6379"})
    assert settings.database.get_backend_name() == "postgresql"
    assert SECRET not in settings.describe_database() + settings.describe_locks()
