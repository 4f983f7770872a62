"""Start the real action server and Rasa server on free ports, for end-to-end tests and benchmarks."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from channels.origins import AllowedOrigins
from server.credentials import write_credentials
from server.endpoints import write_endpoints
from server.preflight import preflight

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Servers:
    rasa_url: str
    actions_url: str
    rasa: subprocess.Popen[bytes]
    actions: subprocess.Popen[bytes]
    log_dir: Path
    rest_token: str | None = None  # sent with every REST post when the servers were started with REST_TOKEN

    def post(self, body: bytes, *, content_type: str = "application/json", path: str = "/webhooks/rest/webhook",
             timeout: float = 30, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        authorisation = {"Authorization": f"Bearer {self.rest_token}"} if self.rest_token else {}
        request = urllib.request.Request(self.rasa_url + path, data=body,
                                         headers={"Content-Type": content_type, **authorisation, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read().decode()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read().decode()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw

    def say(self, sender: str, message: Any) -> list[dict[str, Any]]:
        status, payload = self.post(json.dumps({"sender": sender, "message": message}).encode())
        assert status == 200, (status, payload)
        assert isinstance(payload, list)
        return payload


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} not up after {timeout:.0f}s; log:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rasa_command(*, model: Path, port: int, credentials: Path, endpoints: Path, env: Mapping[str, str]) -> list[str]:
    """The Rasa server's command line, as scripts/run.sh builds it."""
    return [sys.executable, "-m", "server.rasa_server", "--model", str(model), "--port", str(port),
            "--endpoints", str(endpoints), "--credentials", str(credentials),
            "--cors", *AllowedOrigins.from_env(env).origins]


@contextmanager
def running_servers(*, model: Path, log_dir: Path, extra_env: dict[str, str] | None = None,
                    timeout: float = 120) -> Iterator[Servers]:
    """Both servers, started the way `make run` starts them, stopped on exit."""
    log_dir.mkdir(parents=True, exist_ok=True)
    rasa_port, actions_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2",
           "ACTION_ENDPOINT": f"http://127.0.0.1:{actions_port}/webhook", **(extra_env or {})}
    actions_log, rasa_log = log_dir / "actions.log", log_dir / "rasa.log"
    credentials = log_dir / "credentials.yml"  # with Slack when extra_env configures it
    write_credentials(credentials, env)
    env.setdefault("DATA_DIR", str(log_dir / "var"))  # a fresh SQLite database per run, unless DB_URL is set
    endpoints = log_dir / "endpoints.yml"  # with the tracker and lock stores (DB_URL, REDIS_URL)
    write_endpoints(endpoints, env)
    preflight(env)  # an unreachable database or Redis stops here, named
    actions = subprocess.Popen(
        [sys.executable, "-m", "server.action_server", "--port", str(actions_port)],
        cwd=ROOT, env=env, stdout=actions_log.open("wb"), stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        rasa_command(model=model, port=rasa_port, credentials=credentials, endpoints=endpoints, env=env),
        cwd=ROOT, env=env, stdout=rasa_log.open("wb"), stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, actions_log, timeout)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log, timeout)
        yield Servers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", rasa, actions, log_dir,
                      rest_token=env.get("REST_TOKEN") or None)
    finally:
        stop(rasa)
        stop(actions)
