"""Rasa's own commands from the project root: `rasa run actions` and `rasa run` (what `rasa shell` runs) answer.

They read the root files as they are (credentials.yml, endpoints.yml with its local default for the
action server), the way a newcomer who knows Rasa would start them after `make build`.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.harness.servers import free_port, stop, wait_until_up

pytestmark = [pytest.mark.e2e, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
RASA = Path(sys.executable).with_name("rasa")
ACTIONS_PORT = 5055  # endpoints.yml's default: plain `rasa run` finds the action server there


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def plain_environment() -> dict[str, str]:
    """The environment the README gives for Rasa's own commands: nothing of ours but the offline switches."""
    env = {k: v for k, v in os.environ.items() if k not in ("ACTION_ENDPOINT", "PYTHONPATH")}
    return {**env, "RASA_TELEMETRY_ENABLED": "false", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2"}


@pytest.fixture(scope="module")
def plain_rasa(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not port_is_free(ACTIONS_PORT):
        pytest.fail(f"port {ACTIONS_PORT} is taken (a `make run`?): plain `rasa run` expects the action server there")
    logs = tmp_path_factory.mktemp("plain-rasa")
    env = plain_environment()
    actions = subprocess.Popen([str(RASA), "run", "actions", "--port", str(ACTIONS_PORT)], cwd=ROOT, env=env,
                               stdout=(logs / "actions.log").open("wb"), stderr=subprocess.STDOUT)
    port = free_port()
    rasa = subprocess.Popen([str(RASA), "run", "--model", str(trained_model), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=(logs / "rasa.log").open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{ACTIONS_PORT}/health", actions, logs / "actions.log", 120)
        wait_until_up(f"http://127.0.0.1:{port}/", rasa, logs / "rasa.log", 180)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(rasa)
        stop(actions)


def test_plain_rasa_run_answers_through_plain_rasa_run_actions(plain_rasa: str) -> None:
    body = json.dumps({"sender": "newcomer", "message": "what skills does an AI engineer need?"}).encode()
    request = urllib.request.Request(f"{plain_rasa}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        messages = json.loads(reply.read())
    text = "\n".join(str(m.get("text", "")) for m in messages)
    assert "AI Engineer: Skills" in text  # written by a custom action, so the action server answered


def test_rasa_data_validate_passes_from_the_root() -> None:
    result = subprocess.run([str(RASA), "data", "validate"], cwd=ROOT, env=plain_environment(), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
