"""`make loadtest`: simulated visitors over REST, one Rasa server against two sharing PostgreSQL and Redis.

Starts an action server and a Rasa server on this machine's PostgreSQL (a fresh database, dropped
afterwards) and Redis (a fresh key prefix), then measures, side by side:

- visitors: N users (default 50) each holding the conversations in bench/loadtest.yml one after
  another, waiting 2-8 s between messages (reading, typing), for a bounded time;
- saturation: the same users with no waiting, for the most turns a second the servers give;
- a long conversation: 300 turns (bench/loadtest.yml `long`), turn 5 against turn 300;
- queued messages: 50 messages sent at once for one conversation (a retrying client, a user
  pressing enter again and again), which Rasa answers one at a time, in order: the total time.

The first two run with one Rasa server, then again with a second server added. Each server is pinned
to its own CPU (RASA_CPUS; `--no-pin` leaves them to the scheduler). With two, each conversation's
next message goes to the other server (no stickiness: the shared stores must keep its turns in
order); `--balance least-conn` sends it instead to the server with the fewest requests in progress,
as deploy/nginx.conf does for REST. After each run every conversation is read back from PostgreSQL:
each message sent must be stored once, with each reply received.
Before each run it waits (up to 2 minutes) for other programs on the machine to go quiet.
Prints throughput, p50/p95/p99 latency, errors, turns apologised for (an action answered too late), lost or
doubled events, and the CPU used by these servers and by other programs; writes results/loadtest.json.

    python -m tools.loadtest [--users 50] [--duration 60] [--saturation 30] [--long-turns 300] [--queued 50]
                               [--balance alternate|least-conn] [--no-pin] [--stock]
    python -m tools.loadtest --only-queued [--queued 50]   # just the queued messages, on a server with
                               # its locks in the process (as `make run`) and on one with Redis locks
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psycopg2
import yaml

from bot.notices import action_server_down
from channels.senders import REST, conversation_id
from server.cpus import pin_to
from server.credentials import write_credentials
from tools.harness.cluster import REDIS_URL, fresh_postgres_database, running_cluster
from tools.harness.servers import free_port, rasa_command, running_servers, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent


SCRIPT = yaml.safe_load((ROOT / "bench" / "loadtest.yml").read_text(encoding="utf-8"))
THINK_SECONDS = (2.0, 8.0)
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60)
QUEUED_TIMEOUT = aiohttp.ClientTimeout(total=300)  # while Rasa looked at its locks once a second, 50 queued took 50 s
QUEUED_MESSAGE = SCRIPT["visits"][0][1]  # a role question (role names live in data, not code)
BALANCING = {"least-conn": "the server with the fewest requests in progress (nginx least_conn)",
             "alternate": "the other server from its conversation's previous message"}


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores), from /proc/stat."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _store_pids(db_name: str) -> list[int]:
    """The PostgreSQL backends serving `db_name`, and Redis."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if db_name in command or command.startswith("redis-server"):
            found.append(int(proc.name))
    return found


class CpuMeter:
    """Cores used, on average over one run, by each part of ours and by everything else on the machine.

    The parts: the Rasa servers, the action server, this load generator, and the database and Redis
    processes serving the run. PostgreSQL backends opened during the run are counted from then on.
    """

    def __init__(self, pids: list[int], db_name: str, rasa: list[int] | None = None) -> None:
        self.db_name = db_name
        self.rasa = rasa if rasa is not None else pids[1:]
        self.parts = {"rasa": self.rasa, "actions": [pid for pid in pids if pid not in self.rasa], "load": [os.getpid()]}
        self.rasa_start = [_cpu_seconds(pid) for pid in self.rasa]
        self.per_server: list[float] = []  # cores used by each Rasa server, set by stop_parts
        self.started = time.monotonic()
        self.store_start = {pid: _cpu_seconds(pid) for pid in _store_pids(db_name)}
        self.part_start = {name: sum(_cpu_seconds(pid) for pid in group) for name, group in self.parts.items()}
        self.busy = _busy_seconds()

    def stop_parts(self) -> dict[str, float]:
        """Cores used by each part ("rasa", "actions", "load", "stores") and by "others"."""
        seconds = time.monotonic() - self.started
        used = {name: (sum(_cpu_seconds(pid) for pid in group) - self.part_start[name]) / seconds
                for name, group in self.parts.items()}
        used["stores"] = sum(_cpu_seconds(pid) - self.store_start.get(pid, 0.0) for pid in _store_pids(self.db_name)) / seconds
        ours = sum(used.values())
        used["others"] = max((_busy_seconds() - self.busy) / seconds - ours, 0.0)
        self.per_server = [(_cpu_seconds(pid) - start) / seconds for pid, start in zip(self.rasa, self.rasa_start, strict=True)]
        return used

    def stop(self) -> tuple[float, float]:
        used = self.stop_parts()
        others = used.pop("others")
        return sum(used.values()), others


def wait_for_quiet(pids: list[int], db_name: str, *, limit: float = 120) -> None:
    """Wait (at most `limit` s) until other programs use under a quarter of a core: the machine is shared."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        meter = CpuMeter(pids, db_name)
        time.sleep(3)
        others = meter.stop()[1]
        if others < 0.25:
            return
        print(f"  other programs are using {others:.2f} cores; waiting", flush=True)


@dataclass
class Conversation:
    sender: str
    sent: int = 0  # messages answered with 200
    replies: int = 0  # bot messages received
    apologies: int = 0  # turns undone with the "can't answer right now" apology (server/patches/faults.py)


@dataclass
class Run:
    name: str
    instances: int
    users: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    conversations: list[Conversation] = field(default_factory=list)
    lost_or_doubled: int = 0
    cores_ours: float = 0.0
    cores_others: float = 0.0
    cores: dict[str, float] = field(default_factory=dict)
    cores_per_server: list[float] = field(default_factory=list)
    turns_per_server: list[int] = field(default_factory=list)
    moved: int = 0  # turns served by another server than the conversation's previous turn

    @property
    def apologies(self) -> int:
        return sum(conversation.apologies for conversation in self.conversations)

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, q: int) -> float:
        if len(self.latencies_ms) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


class Balancer:
    """Which server takes the next message.

    "least-conn" does what deploy/nginx.conf does for REST: the server with the fewest requests in
    progress, ties taken in turn; with every user waiting on a reply it turns sticky, each user's next
    message going back to the server that just answered. "alternate" sends each conversation's next
    message to the other server, whatever the load, so every turn after the first changes server.
    """

    def __init__(self, servers: int, policy: str) -> None:
        self.policy = policy
        self.in_progress = [0] * servers
        self.served = [0] * servers
        self.next = 0

    def pick(self, turn: int) -> int:
        servers = len(self.in_progress)
        if self.policy == "alternate":
            chosen = turn % servers
        else:
            in_turn = [(self.next + k) % servers for k in range(servers)]
            chosen = min(in_turn, key=lambda server: self.in_progress[server])
            self.next = (chosen + 1) % servers
        self.in_progress[chosen] += 1
        return chosen

    def done(self, server: int, *, answered: bool) -> None:
        self.in_progress[server] -= 1
        self.served[server] += answered


async def send(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> list[dict[str, Any]]:
    async with session.post(url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}) as response:
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        replies = await response.json()
    if not isinstance(replies, list) or not replies:
        raise RuntimeError("no reply")
    return list(replies)


async def visitor(run: Run, session: aiohttp.ClientSession, urls: list[str], balancer: Balancer, *, index: int,
                  deadline: float, think: tuple[float, float], rng: random.Random) -> None:
    visit, turn = index, index
    while time.monotonic() < deadline:
        conversation = Conversation(f"{run.name}-{index}-{uuid.uuid4().hex[:8]}")
        run.conversations.append(conversation)
        previous = None
        for message in SCRIPT["visits"][visit % len(SCRIPT["visits"])]:
            if think[1]:
                await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= deadline:
                return
            server = balancer.pick(turn)
            turn += 1
            started = time.monotonic()
            try:
                replies = await send(session, urls[server], conversation.sender, message)
            except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError) as error:
                balancer.done(server, answered=False)
                run.errors[str(error) or type(error).__name__] += 1
                continue
            balancer.done(server, answered=True)
            if time.monotonic() <= deadline:
                run.latencies_ms.append((time.monotonic() - started) * 1000)
            run.moved += previous is not None and server != previous
            previous = server
            conversation.sent += 1
            conversation.replies += len(replies)
            conversation.apologies += any(reply.get("text") == action_server_down() for reply in replies)
        visit += 1


async def load(name: str, urls: list[str], *, users: int, seconds: float, think: tuple[float, float],
               balance: str) -> Run:
    run = Run(name, len(urls), users, seconds)
    balancer = Balancer(len(urls), balance)
    rng = random.Random(7)
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(visitor(run, session, urls, balancer, index=i, deadline=deadline, think=think,
                                       rng=random.Random(rng.random())) for i in range(users)))
    run.turns_per_server = balancer.served
    return run


def count_lost_or_doubled(db_url: str, run: Run) -> int:
    """Messages and replies missing from, or stored twice in, PostgreSQL, over all of `run`'s conversations."""
    wrong = 0
    with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
        for conversation in run.conversations:
            cursor.execute("SELECT type_name, data FROM events WHERE sender_id = %s", (conversation_id(REST, conversation.sender),))
            rows = cursor.fetchall()
            types = Counter(type_name for type_name, _ in rows)
            # An apologised turn is undone: its message is kept only in the apology's metadata.
            wrong += abs(types["user"] - (conversation.sent - conversation.apologies))
            wrong += abs(types["bot"] - conversation.replies)
            wrong += len(rows) - len({data for _, data in rows})
    return wrong


@dataclass
class Long:
    """Latencies (ms) of each turn of each long conversation, and the replies of the first."""

    timings: list[list[float]]
    replies: list[list[dict[str, Any]]]
    cores_ours: float = 0.0
    cores_others: float = 0.0


async def long_conversations(url: str, *, turns: int, count: int) -> Long:
    cycle = SCRIPT["long"]
    result = Long([], [])
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for index in range(count):
            sender, latencies = f"long-{uuid.uuid4().hex[:8]}", []
            for turn in range(turns):
                started = time.monotonic()
                replies = await send(session, url, sender, cycle[turn % len(cycle)])
                latencies.append((time.monotonic() - started) * 1000)
                if index == 0:
                    result.replies.append([{k: v for k, v in r.items() if k != "recipient_id"} for r in replies])
            result.timings.append(latencies)
    return result


@dataclass
class Queued:
    """Messages sent at once for one conversation: how many were answered, and how long all of them took.

    `one_by_one`: the same messages sent to another conversation each after the answer to the one
    before, the time the turns themselves take; queued messages can go no faster.
    """

    messages: int
    answered: int
    seconds: float
    one_by_one: float

    def line(self, where: str) -> str:
        return (f"{self.messages} queued messages for one conversation: total {self.seconds:.1f} s "
                f"({self.seconds / self.messages * 1000:.0f} ms each; sent one by one {self.one_by_one:.1f} s), "
                f"{self.answered} answered; {where}")


async def queued_messages(url: str, *, count: int) -> Queued:
    """Send `count` messages for one new conversation at once and wait for every answer; then one by one."""
    sender = f"queued-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession(timeout=QUEUED_TIMEOUT, connector=aiohttp.TCPConnector(limit=0)) as session:
        started = time.monotonic()
        replies = await asyncio.gather(*(send(session, url, sender, QUEUED_MESSAGE) for _ in range(count)),
                                       return_exceptions=True)
        seconds = time.monotonic() - started
        started, sender = time.monotonic(), f"one-by-one-{uuid.uuid4().hex[:8]}"
        for _ in range(count):
            await send(session, url, sender, QUEUED_MESSAGE)
        one_by_one = time.monotonic() - started
    return Queued(count, sum(not isinstance(reply, BaseException) for reply in replies), seconds, one_by_one)


async def warm_up(urls: list[str]) -> None:
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for url in urls:
            for message in SCRIPT["visits"][1]:
                await send(session, url, f"warm-{uuid.uuid4().hex[:8]}", message)


def stock_rasa(log_dir: Path, env: dict[str, str], model: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A Rasa server on Rasa's own SQL tracker store (SQLite), for the long-conversation comparison."""
    port = free_port()
    (log_dir / "stock.db").unlink(missing_ok=True)
    endpoints = log_dir / "endpoints-stock.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text(encoding="utf-8")
                         + f"\ntracker_store:\n  type: sql\n  dialect: sqlite\n  db: {log_dir / 'stock.db'}\n")
    write_credentials(log_dir / "credentials.yml", env)
    log = log_dir / "rasa-stock.log"
    process = subprocess.Popen(rasa_command(model=model, port=port, credentials=log_dir / "credentials.yml",
                                            endpoints=endpoints, env=env),
                               cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_until_up(f"http://127.0.0.1:{port}/", process, log, 180)
    return process, f"http://127.0.0.1:{port}"


def at(timings: list[list[float]], turn: int) -> float:
    return statistics.median(latencies[turn - 1] for latencies in timings)


def around(timings: list[list[float]], first: int, last: int) -> float:
    return statistics.median(t for latencies in timings for t in latencies[first - 1:last])


def report(runs: dict[str, Run], long: dict[str, Long], queued: Queued | None, args: argparse.Namespace) -> list[str]:
    one, two = runs["visitors-1"], runs["visitors-2"]
    sat1, sat2 = runs["saturation-1"], runs["saturation-2"]
    rows = [("", "one server", "two servers")]

    def block(title: str, a: Run, b: Run) -> None:
        rows.append((title, "", ""))
        rows.append(("  turns/s", f"{a.turns_per_second:.1f}", f"{b.turns_per_second:.1f}"))
        for q in (50, 95, 99):
            rows.append((f"  p{q} latency (ms)", f"{a.percentile(q):.0f}", f"{b.percentile(q):.0f}"))
        rows.append(("  errors", str(sum(a.errors.values())), str(sum(b.errors.values()))))
        rows.append(("  turns apologised (action too slow)", str(a.apologies), str(b.apologies)))
        rows.append(("  lost or doubled events", str(a.lost_or_doubled), str(b.lost_or_doubled)))
        rows.append(("  CPU cores used: ours / other programs", f"{a.cores_ours:.2f} / {a.cores_others:.2f}",
                     f"{b.cores_ours:.2f} / {b.cores_others:.2f}"))
        for part, label in (("rasa", "Rasa"), ("actions", "action server"), ("load", "load generator"),
                            ("stores", "PostgreSQL and Redis")):
            rows.append((f"    of which {label}", f"{a.cores.get(part, 0):.2f}", f"{b.cores.get(part, 0):.2f}"))
        rows.append(("  each Rasa server: cores", " / ".join(f"{c:.2f}" for c in a.cores_per_server),
                     " / ".join(f"{c:.2f}" for c in b.cores_per_server)))
        rows.append(("  each Rasa server: turns answered", " / ".join(map(str, a.turns_per_server)),
                     " / ".join(map(str, b.turns_per_server))))
        rows.append(("  turns on another server than the turn before", f"{a.moved}", f"{b.moved}"))

    block(f"{args.users} visitors, {THINK_SECONDS[0]:.0f}-{THINK_SECONDS[1]:.0f} s between messages, {args.duration:.0f} s",
          one, two)
    block(f"{args.users} users, no waiting (saturation), {args.saturation:.0f} s", sat1, sat2)
    rows.append(("  two servers / one server", "", f"{sat2.turns_per_second / sat1.turns_per_second:.2f}x"))
    unpinned = runs.get("saturation-unpinned-2")
    if unpinned is not None:
        rows.append(("the same two servers not pinned (saturation again)", "", ""))
        rows.append(("  turns/s", "", f"{unpinned.turns_per_second:.1f}"))
        rows.append(("  p95 latency (ms), errors, lost or doubled events", "",
                     f"{unpinned.percentile(95):.0f}, {sum(unpinned.errors.values())}, {unpinned.lost_or_doubled}"))
        rows.append(("  CPU cores: Rasa (each server) / all of ours / other programs", "",
                     f"{unpinned.cores['rasa']:.2f} ({' / '.join(f'{c:.2f}' for c in unpinned.cores_per_server)}) / "
                     f"{unpinned.cores_ours:.2f} / {unpinned.cores_others:.2f}"))
        rows.append(("  two servers not pinned / one server", "",
                     f"{unpinned.turns_per_second / sat1.turns_per_second:.2f}x"))
    width = max(len(r[0]) for r in rows)
    lines = [f"Rasa servers {'each pinned to its own CPU (RASA_CPUS)' if args.pin else 'not pinned'}; "
             f"with two, each message goes to {BALANCING[args.balance]}", ""]
    lines += [f"{r[0]:<{width}}  {r[1]:>12}  {r[2]:>12}" for r in rows]
    for name, measured in long.items():
        timings = measured.timings
        lines.append("")
        lines.append(f"long conversation, {name} ({len(timings)} x {args.long_turns} turns, median per turn):")
        lines.append(f"  turn 5: {at(timings, 5):.0f} ms   turn {args.long_turns}: {at(timings, args.long_turns):.0f} ms   "
                     f"ratio {at(timings, args.long_turns) / at(timings, 5):.2f}")
        lines.append(f"  turns 1-10: {around(timings, 1, 10):.0f} ms   turns {args.long_turns - 9}-{args.long_turns}: "
                     f"{around(timings, args.long_turns - 9, args.long_turns):.0f} ms   "
                     f"CPU cores used: ours {measured.cores_ours:.2f}, other programs {measured.cores_others:.2f}")
    if len(long) == 2:
        ours, stock = long.values()
        differing = sum(a != b for a, b in zip(ours.replies, stock.replies, strict=True))
        lines.append(f"  replies differing between the two stores: {differing} of {len(ours.replies)} turns")
    if queued is not None:
        lines += ["", queued.line("one server, Redis locks")]
    errors = Counter[str]()
    for run in runs.values():
        errors.update(run.errors)
    if errors:
        lines.append(f"errors: {dict(errors)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of the visitors run")
    parser.add_argument("--saturation", type=float, default=30, help="seconds of the saturation run")
    parser.add_argument("--long-turns", type=int, default=300)
    parser.add_argument("--long-count", type=int, default=3, help="long conversations (median per turn)")
    parser.add_argument("--balance", choices=sorted(BALANCING), default="alternate",
                        help="how messages are shared between two servers (default: each to the other server)")
    parser.add_argument("--no-pin", dest="pin", action="store_false",
                        help="leave the Rasa servers to the scheduler instead of one CPU each (RASA_CPUS)")
    parser.add_argument("--stock", action="store_true",
                        help="also hold one long conversation on Rasa's own SQL store, and compare every reply")
    parser.add_argument("--queued", type=int, default=50, help="messages sent at once for one conversation")
    parser.add_argument("--only-queued", action="store_true",
                        help="measure only the queued messages: one server with its locks in the process, one with Redis")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "career.tar.gz")
    args = parser.parse_args()
    if args.long_turns < 10:
        parser.error("--long-turns must be at least 10")
    if args.queued < 2:
        parser.error("--queued must be at least 2")
    log_dir = ROOT / "results" / "loadtest"
    log_dir.mkdir(parents=True, exist_ok=True)
    if args.only_queued:
        return only_queued(args, log_dir)
    runs: dict[str, Run] = {}
    long: dict[str, Long] = {}
    queued: Queued | None = None
    env = {"REDIS_URL": os.environ.get("LOADTEST_REDIS_URL", REDIS_URL), "REDIS_KEY_PREFIX": f"load{uuid.uuid4().hex[:8]}",
           "LOG_LEVEL": "WARNING"}
    with fresh_postgres_database() as db_url, running_cluster(model=args.model, log_dir=log_dir, instances=1,
                                                              env={**env, "DB_URL": db_url}, pin=args.pin) as cluster:
        urls = [server.url for server in cluster.rasa]
        print(f"one Rasa server on PostgreSQL ({db_url.rsplit('/', 1)[1]}) and Redis; warming up", flush=True)
        asyncio.run(warm_up(urls))
        for instances in (1, 2):
            if instances == 2:
                print("starting a second Rasa server on the same stores", flush=True)
                urls.append(cluster.start_rasa().url)
                asyncio.run(warm_up(urls[1:]))
            plan = [("visitors", args.duration, THINK_SECONDS), ("saturation", args.saturation, (0.0, 0.0))]
            if instances == 2 and args.pin:
                plan.append(("saturation-unpinned", args.saturation, (0.0, 0.0)))
            for name, seconds, think in plan:
                print(f"{name}, {instances} server(s): {args.users} users for {seconds:.0f} s", flush=True)
                if name.endswith("unpinned"):  # the same two servers, each free to run on any CPU
                    for server in cluster.rasa:
                        pin_to(os.sched_getaffinity(0), server.process.pid)  # undoes RASA_CPUS
                pids = [cluster.actions.pid, *(server.process.pid for server in cluster.rasa)]
                wait_for_quiet(pids, db_url.rsplit("/", 1)[1])
                meter = CpuMeter(pids, db_url.rsplit("/", 1)[1])
                run = asyncio.run(load(f"{name}-{instances}", urls, users=args.users, seconds=seconds, think=think,
                                       balance=args.balance))
                run.cores = meter.stop_parts()
                run.cores_per_server = meter.per_server
                run.cores_others = run.cores["others"]
                run.cores_ours = sum(used for part, used in run.cores.items() if part != "others")
                run.lost_or_doubled = count_lost_or_doubled(db_url, run)
                runs[run.name] = run
            if instances == 1:
                print(f"long conversation: {args.long_count} x {args.long_turns} turns", flush=True)
                wait_for_quiet(pids, db_url.rsplit("/", 1)[1])
                meter = CpuMeter(pids, db_url.rsplit("/", 1)[1])
                long["windowed store"] = asyncio.run(long_conversations(urls[0], turns=args.long_turns, count=args.long_count))
                long["windowed store"].cores_ours, long["windowed store"].cores_others = meter.stop()
                print(f"queued messages: {args.queued} at once for one conversation", flush=True)
                queued = asyncio.run(queued_messages(urls[0], count=args.queued))
        if args.stock:
            for server in cluster.rasa:  # the stock run gets the machine to itself
                stop(server.process)
            print("long conversation on Rasa's own SQL tracker store", flush=True)
            process, url = stock_rasa(log_dir, cluster.env, args.model)
            try:
                meter = CpuMeter([cluster.actions.pid, process.pid], db_url.rsplit("/", 1)[1])
                long["Rasa's SQL store"] = asyncio.run(long_conversations(url, turns=args.long_turns, count=1))
                long["Rasa's SQL store"].cores_ours, long["Rasa's SQL store"].cores_others = meter.stop()
            finally:
                stop(process)
    lines = report(runs, long, queued, args)
    print("\n" + "\n".join(lines))
    results = {"runs": {name: {**{k: v for k, v in asdict(run).items() if k != "conversations"},
                               "turns_per_second": run.turns_per_second,
                               "p50": run.percentile(50), "p95": run.percentile(95), "p99": run.percentile(99)}
                        for name, run in runs.items()},
               "long": {name: asdict(measured) for name, measured in long.items()},
               "queued": asdict(queued) if queued is not None else None, "report": lines}
    (ROOT / "results" / "loadtest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    failed = any(sum(run.errors.values()) or run.lost_or_doubled for run in runs.values())
    return 1 if failed or (queued is not None and queued.answered < queued.messages) else 0


def only_queued(args: argparse.Namespace, log_dir: Path) -> int:
    """The queued messages alone: on one server as `make run` starts it, then on one with PostgreSQL and Redis."""
    measured: dict[str, Queued] = {}
    env = {"LOG_LEVEL": "WARNING", "REDIS_URL": "", "DB_URL": ""}
    with running_servers(model=args.model, log_dir=log_dir / "queued-in-process", extra_env=env) as servers:
        print("one Rasa server, locks in the process (as `make run`); warming up", flush=True)
        asyncio.run(warm_up([servers.rasa_url]))
        measured["one server, locks in the process (as `make run`)"] = asyncio.run(
            queued_messages(servers.rasa_url, count=args.queued))
    redis_env = {"REDIS_URL": os.environ.get("LOADTEST_REDIS_URL", REDIS_URL), "LOG_LEVEL": "WARNING",
                 "REDIS_KEY_PREFIX": f"load{uuid.uuid4().hex[:8]}"}
    with fresh_postgres_database() as db_url, running_cluster(model=args.model, log_dir=log_dir / "queued-redis",
                                                              env={**redis_env, "DB_URL": db_url}, instances=1) as cluster:
        print("one Rasa server on PostgreSQL and Redis (as the load test's); warming up", flush=True)
        asyncio.run(warm_up([cluster.rasa[0].url]))
        measured["one server, Redis locks"] = asyncio.run(queued_messages(cluster.rasa[0].url, count=args.queued))
    lines = [queued.line(where) for where, queued in measured.items()]
    print("\n" + "\n".join(lines))
    (ROOT / "results" / "loadtest-queued.json").write_text(
        json.dumps({"queued": {where: asdict(queued) for where, queued in measured.items()}, "report": lines}, indent=1),
        encoding="utf-8")
    return 0 if all(queued.answered == queued.messages for queued in measured.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
