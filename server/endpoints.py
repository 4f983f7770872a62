"""Write the endpoints file the Rasa server starts with: endpoints.yml plus where conversations and locks are kept.

The action server's URL is endpoints.yml's local default, or `${ACTION_ENDPOINT}` when that is set.

The tracker store is always our windowed SQL store: PostgreSQL when DB_URL is set, else SQLite under
DATA_DIR (default var/). The Redis lock store is added when REDIS_URL is set. Rasa refuses to start
on a `${VAR}` whose variable is unset, so the file is written for this environment; it holds the
placeholders, never the secrets (see stores/settings.py).

    python -m server.endpoints build/endpoints.yml
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from stores.settings import SettingsError, StoreSettings

ROOT = Path(__file__).resolve().parent.parent


OURS = ("tracker_store", "lock_store")
ACTION_ENDPOINT = "ACTION_ENDPOINT"


def write_endpoints(path: Path, env: Mapping[str, str], *, base: Path = ROOT / "endpoints.yml") -> StoreSettings:
    """Write `base` plus the store sections for `env` to `path`; the settings used."""
    settings = StoreSettings.from_env(env)
    text = base.read_text(encoding="utf-8")
    taken = [key for key in OURS if key in (yaml.safe_load(text) or {})]
    if taken:
        raise SettingsError(f"{base.name} configures {', '.join(taken)}; remove it: DB_URL and REDIS_URL set the stores")
    if env.get(ACTION_ENDPOINT, "").strip():
        text = with_action_endpoint(text, f"${{{ACTION_ENDPOINT}}}", source=base)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n\n" + settings.endpoints_yaml(), encoding="utf-8")
    return settings


def with_action_endpoint(text: str, url: str, *, source: Path) -> str:
    """`text` (an endpoints file) with the action server's URL replaced by `url`."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data.get("action_endpoint"), dict) or "url" not in data["action_endpoint"]:
        raise SettingsError(f"{source.name} has no action_endpoint.url for {ACTION_ENDPOINT} to replace")
    data["action_endpoint"]["url"] = url
    return f"# {source.name}, with the action server at {ACTION_ENDPOINT}.\n" + yaml.safe_dump(data, sort_keys=False)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m server.endpoints OUTPUT.yml", file=sys.stderr)
        return 2
    try:
        write_endpoints(Path(argv[0]), os.environ)
    except SettingsError as error:
        print(f"not started: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
