"""stores/settings.py: where conversations go when the environment says nothing."""
from __future__ import annotations

from pathlib import Path

from stores.settings import StoreSettings

CHECKOUT = Path(__file__).resolve().parents[2]


def test_by_default_conversations_go_to_var_in_the_checkout() -> None:
    settings = StoreSettings.from_env({})
    assert (CHECKOUT / "domain.yml").is_file()  # the folder that holds the project
    assert settings.sqlite_path == CHECKOUT / "var" / "conversations.db"
    assert settings.describe_database() == f"SQLite at {CHECKOUT / 'var' / 'conversations.db'} (DB_URL unset; DATA_DIR)"


def test_data_dir_moves_them(tmp_path: Path) -> None:
    assert StoreSettings.from_env({"DATA_DIR": str(tmp_path)}).sqlite_path == tmp_path / "conversations.db"
