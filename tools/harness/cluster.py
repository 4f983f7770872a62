"""Several Rasa servers sharing one action server and one set of stores, for the persistence and scale-out tests.

Each Rasa server is started the way scripts/run.sh starts it (tools/harness/servers.py), with the endpoints
file written for the environment given (DB_URL or DATA_DIR, REDIS_URL).
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2

from server.credentials import write_credentials
from server.endpoints import write_endpoints
from server.preflight import preflight
from tools.harness.servers import ROOT, free_port, rasa_command, stop, wait_until_up

# This machine's (and CI's) PostgreSQL and Redis; override to point the tests elsewhere.
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test run (dropped afterwards); yields its URL."""
    name = f"career_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_URL)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class RasaServer:
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]


@dataclass
class Cluster:
    """An action server and Rasa servers started with the same environment (and so the same stores)."""

    model: Path
    log_dir: Path
    env: dict[str, str]
    actions: subprocess.Popen[bytes]
    rasa: list[RasaServer] = field(default_factory=list)
    pin: bool = False  # each Rasa server on its own CPU (RASA_CPUS), the n-th on the n-th allowed CPU

    def start_rasa(self, *, port: int | None = None, timeout: float = 180) -> RasaServer:
        port = port or free_port()
        log = self.log_dir / f"rasa-{port}-{len(self.rasa)}.log"
        env = self.env
        if self.pin:
            allowed = sorted(os.sched_getaffinity(0))
            env = {**env, "RASA_CPUS": str(allowed[len(self.rasa) % len(allowed)])}
        process = subprocess.Popen(
            rasa_command(model=self.model, port=port, credentials=self.log_dir / "credentials.yml",
                         endpoints=self.log_dir / "endpoints.yml", env=env),
            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )
        server = RasaServer(f"http://127.0.0.1:{port}", port, log, process)
        self.rasa.append(server)
        wait_until_up(server.url + "/", process, log, timeout)
        return server

    def restart(self, server: RasaServer) -> RasaServer:
        """Stop `server` and start a new Rasa process on the same port."""
        stop(server.process)
        self.rasa.remove(server)
        return self.start_rasa(port=server.port)

    def stop(self) -> None:
        for server in self.rasa:
            stop(server.process)
        stop(self.actions)


@contextlib.contextmanager
def running_cluster(*, model: Path, log_dir: Path, env: dict[str, str], instances: int,
                    pin: bool = False) -> Iterator[Cluster]:
    log_dir.mkdir(parents=True, exist_ok=True)
    actions_port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2",
           "ACTION_ENDPOINT": f"http://127.0.0.1:{actions_port}/webhook", **env}
    env.setdefault("WIDGET_SECRET", secrets.token_hex(32))  # one for all servers, as a deployment sets it
    write_credentials(log_dir / "credentials.yml", env)
    write_endpoints(log_dir / "endpoints.yml", env)
    preflight(env)
    actions_log = log_dir / "actions.log"
    actions = subprocess.Popen([sys.executable, "-m", "server.action_server", "--port", str(actions_port)],
                               cwd=ROOT, env=env, stdout=actions_log.open("wb"), stderr=subprocess.STDOUT)
    cluster = Cluster(model=model, log_dir=log_dir, env=env, actions=actions, pin=pin)
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, actions_log, 120)
        for _ in range(instances):
            cluster.start_rasa()
        yield cluster
    finally:
        cluster.stop()


def say(server: RasaServer, sender: str, message: str, timeout: float = 60) -> list[dict[str, Any]]:
    """Send one message over REST and return the bot's replies."""
    request = urllib.request.Request(server.url + "/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        replies = json.loads(response.read())
    assert isinstance(replies, list), (message, replies, time.monotonic() - started)
    return replies
