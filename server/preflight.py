"""Check, before Rasa starts, that the conversation database and Redis can be reached.

Rasa itself retries an unreachable SQL database every five seconds forever, and finds an
unreachable Redis only when the first message fails. This prints one line naming what is missing
and exits with status 2, so `make run`, a container or a test fails at once and says why.

    python -m server.preflight      # uses DB_URL / DATA_DIR, REDIS_URL, SANIC_WORKERS
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import redis  # type: ignore[import-untyped]
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from stores.settings import SettingsError, StoreSettings

ROOT = Path(__file__).resolve().parent.parent


CONNECT_TIMEOUT_SECONDS = 5


class PreflightError(RuntimeError):
    """A store the server needs is unreachable or misconfigured; the message says which and why."""


def _reason(error: BaseException) -> str:
    """The driver's own first line (e.g. "Connection refused"), without SQLAlchemy's boilerplate."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    first = lines[0] if lines else type(original).__name__
    return " ".join(first.replace("FATAL:", "").split()).rstrip(".")


def check_database(settings: StoreSettings) -> None:
    where = settings.describe_database()
    if settings.sqlite_path is not None:
        try:
            settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PreflightError(f"cannot create the data directory for the conversation database, {where}: "
                                 f"{error.strerror}. Set DATA_DIR to a writable directory, or DB_URL") from None
    connect_args = {} if settings.sqlite_path is not None else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    engine = sa.create_engine(settings.database, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError) as error:
        hint = "Check DATA_DIR" if settings.sqlite_path is not None else "Check that PostgreSQL is running and DB_URL is right"
        raise PreflightError(f"cannot reach the conversation database, {where}: {_reason(error)}. {hint}") from None
    finally:
        engine.dispose()


def check_redis(settings: StoreSettings) -> None:
    if settings.redis_url is None:
        return
    where = settings.describe_locks()
    try:
        client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                      socket_timeout=CONNECT_TIMEOUT_SECONDS)
        client.ping()
    except ValueError as error:
        raise PreflightError(f"REDIS_URL is not a Redis URL ({error}); write e.g. redis://:password@host:6379/0") from None
    except redis.RedisError as error:
        raise PreflightError(f"cannot reach the lock store, {where}: {_reason(error)}. "
                             "Start Redis or correct REDIS_URL") from None


def check_workers(settings: StoreSettings, env: Mapping[str, str]) -> None:
    workers = env.get("SANIC_WORKERS", "1").strip() or "1"
    if not workers.isdigit() or int(workers) < 1:
        raise PreflightError(f"SANIC_WORKERS must be a whole number of at least 1, not {workers!r}")
    if int(workers) > 1 and settings.redis_url is None:
        raise PreflightError(f"SANIC_WORKERS={workers} needs REDIS_URL: without a shared lock store "
                             "Rasa would quietly run one worker")


def preflight(env: Mapping[str, str]) -> StoreSettings:
    """Check every store `env` configures; raise PreflightError naming the first that fails."""
    try:
        settings = StoreSettings.from_env(env)
    except SettingsError as error:
        raise PreflightError(str(error)) from None
    check_workers(settings, env)
    check_database(settings)
    check_redis(settings)
    return settings


def main() -> int:
    try:
        settings = preflight(os.environ)
    except PreflightError as error:
        print(f"not started: {error}", file=sys.stderr)
        return 2
    print(f"Conversations: {settings.describe_database()}. Locks: {settings.describe_locks()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
