"""Where conversations and locks are kept, read from the environment (no Rasa import: the start-up
steps server/endpoints.py and server/preflight.py use it before Rasa loads).

- `DB_URL`: the conversation database, e.g. `postgresql://career:secret@db:5432/career`. Unset, the
  conversations go to SQLite at `$DATA_DIR/conversations.db` (`DATA_DIR` defaults to `var/`).
- `REDIS_URL`: the lock store shared by several Rasa instances or workers, e.g.
  `redis://:secret@redis:6379/0`. Unset, locks live in the Rasa process (one process only).
- `REDIS_KEY_PREFIX`: prefix of the lock keys (letters and digits; default `career`).

Endpoint files get `${DB_URL}` and `${REDIS_URL}` placeholders, never the secrets themselves.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = ROOT / "var"
SQLITE_FILE = "conversations.db"
SUPPORTED_DATABASES = ("postgresql", "sqlite")
TRACKER_STORE = "stores.tracker_store.WindowedSQLTrackerStore"
LOCK_STORE = "stores.lock_store.AtomicRedisLockStore"


class SettingsError(ValueError):
    """A storage setting in the environment that cannot work; the message names the variable."""


def database_url(raw: str) -> URL:
    """`raw` as an SQLAlchemy URL of a supported database (`postgres://` is read as `postgresql://`)."""
    text = raw.strip()
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = make_url(text)
    except ArgumentError:
        raise SettingsError("DB_URL is not a database URL: write e.g. postgresql://user:password@host:5432/name") from None
    if url.get_backend_name() not in SUPPORTED_DATABASES:
        raise SettingsError(f"DB_URL: {url.get_backend_name()!r} databases are not supported; "
                            "use postgresql://…, or leave DB_URL unset for SQLite")
    if url.get_backend_name() == "postgresql" and not url.database:
        raise SettingsError("DB_URL names no database: add it at the end, e.g. postgresql://user:password@host:5432/career")
    return url


def redis_url_for_display(raw: str) -> str:
    """A Redis URL with its password masked."""
    scheme, sep, rest = raw.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return raw
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


@dataclass(frozen=True)
class StoreSettings:
    """The tracker store and lock store this environment asks for."""

    database: URL
    database_from_env: bool
    redis_url: str | None
    key_prefix: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StoreSettings:
        raw_db = env.get("DB_URL", "").strip()
        if raw_db:
            database, from_env = database_url(raw_db), True
        else:
            data_dir = Path(env.get("DATA_DIR", "").strip() or DEFAULT_DATA_DIR).resolve()
            database, from_env = make_url(f"sqlite:///{data_dir / SQLITE_FILE}"), False
        prefix = env.get("REDIS_KEY_PREFIX", "career").strip() or "career"
        if not prefix.isalnum():
            raise SettingsError(f"REDIS_KEY_PREFIX must be letters and digits only, not {prefix!r}")
        return cls(database=database, database_from_env=from_env,
                   redis_url=env.get("REDIS_URL", "").strip() or None, key_prefix=prefix)

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.database.database or "") if self.database.get_backend_name() == "sqlite" else None

    def describe_database(self) -> str:
        if self.sqlite_path is not None:
            return f"SQLite at {self.sqlite_path}" + ("" if self.database_from_env else " (DB_URL unset; DATA_DIR)")
        url = self.database
        return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}, database {url.database!r} (DB_URL)"

    def describe_locks(self) -> str:
        if self.redis_url is None:
            return "in the Rasa process (REDIS_URL unset: run one Rasa process only)"
        return f"Redis at {redis_url_for_display(self.redis_url)} (REDIS_URL)"

    def endpoints_yaml(self) -> str:
        """The tracker_store and lock_store sections of an endpoints file, secrets as `${VAR}`."""
        url = "${DB_URL}" if self.database_from_env else str(self.database)
        lines = [f"# Written by server/endpoints.py. Conversations: {self.describe_database()}.",
                 "tracker_store:", f"  type: {TRACKER_STORE}", f"  url: {url}"]
        if self.redis_url is None:
            lines.append(f"# Locks: {self.describe_locks()}.")
        else:
            lines += ["# Locks: Redis (REDIS_URL).", "lock_store:", f"  type: {LOCK_STORE}",
                      "  url: ${REDIS_URL}", f"  key_prefix: {self.key_prefix}"]
        return "\n".join(lines) + "\n"
