"""`make insights`: how the assistant is used, from its conversations, as tables here and as an HTML page.

Reads the conversation database the Rasa server writes (DB_URL, or SQLite under DATA_DIR, as
server/endpoints.py configures it), prints the report for a period and writes it, with charts,
to results/insights.html (self-contained: it loads nothing from anywhere). The Rasa server serves
the same page at /insights/ when INSIGHTS_TOKEN is set (docs/operations.md).

    python -m tools.insights                          # the last 30 days, every channel
    python -m tools.insights --since 2026-11-01 --until 2026-11-30 --channel widget
    python -m tools.insights --sample 10000           # over 10,000 generated conversations (tools/insights_sample.py)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from insights import page, tables
from insights.events import Period
from insights.figures import ALL
from insights.report import CHANNELS, OTHER, build
from stores.settings import SettingsError, StoreSettings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "results" / "insights.html"
DEFAULT_DAYS = 30


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.insights", description=__doc__.split("\n\n")[0])
    parser.add_argument("--since", help="first day, YYYY-MM-DD (UTC); default: --days before --until")
    parser.add_argument("--until", help="last day, YYYY-MM-DD (UTC), included; default: now")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"without --since, how many days (default {DEFAULT_DAYS})")
    parser.add_argument("--channel", choices=(ALL, *CHANNELS, OTHER), default=ALL, help="whose figures the tables show in full")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the HTML page (default results/insights.html)")
    parser.add_argument("--sample", type=int, metavar="N", help="report over N generated conversations instead")
    args = parser.parse_args(argv)
    try:
        period = Period.of_days(args.since, args.until, days=args.days, now=datetime.now(timezone.utc))
    except ValueError as error:
        parser.error(str(error))
    with tempfile.TemporaryDirectory() as scratch:
        if args.sample is not None:
            url = _sample(Path(scratch) / "sample.db", args.sample, period)
        else:
            try:
                url = _database()
            except (SettingsError, FileNotFoundError) as error:
                print(f"insights: {error}", file=sys.stderr)
                return 2
        return _report(url, period, channel=args.channel, out=args.out)


def _database() -> str:
    settings = StoreSettings.from_env(os.environ)
    path = settings.sqlite_path
    if path is not None and not path.exists():
        raise FileNotFoundError(f"no conversations yet: {settings.describe_database()} does not exist "
                                "(`make run` keeps them there; `--sample 1000` shows a report over generated ones)")
    return str(settings.database.render_as_string(hide_password=False))


def _sample(path: Path, count: int, period: Period) -> str:
    from tools.insights_sample import sample, write

    started = time.perf_counter()
    url = f"sqlite:///{path}"
    written = write(sa.create_engine(url), sample(count, until=period.until, days=(period.until - period.since) / 86400))
    print(f"Generated {count:,} conversations ({written:,} events) in {time.perf_counter() - started:.1f} s")
    return url


def _report(url: str, period: Period, *, channel: str, out: Path) -> int:
    engine = sa.create_engine(url)
    cpu = time.process_time()
    try:
        insights = build(engine, period)
    except SQLAlchemyError as error:
        print(f"insights: cannot read the conversations ({type(error).__name__}: {str(error).splitlines()[0]})",
              file=sys.stderr)
        return 2
    cpu = time.process_time() - cpu
    if channel not in {f.channel for f in insights.channels}:  # "other": only when some conversation ids have no channel prefix
        print(f"No conversation of the channel {channel!r} in this period: all channels follow.\n")
        channel = ALL
    print(tables.render(insights, channel=channel))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.render(insights).html, encoding="utf-8")
    everyone = insights.channel(ALL)
    print(f"\nReport over {everyone.conversations:,} conversations ({everyone.messages:,} messages) built in "
          f"{insights.seconds:.1f} s ({cpu:.1f} s of processor time); page written to {_shown(out)}")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
