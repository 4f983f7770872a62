"""docker-compose.yml and deploy/nginx.conf: the scale-out deployment docs/operations.md describes."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
NGINX = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
RASA = sorted(name for name in COMPOSE["services"] if name.startswith("rasa-"))


def service(name: str) -> dict[str, Any]:
    return dict(COMPOSE["services"][name])


def test_every_part_is_there() -> None:
    assert {"postgres", "redis", "actions", "proxy"} <= set(COMPOSE["services"])
    assert len(RASA) >= 2


def test_every_rasa_server_shares_the_stores_and_the_action_server() -> None:
    for name in RASA:
        env = service(name)["environment"]
        assert re.fullmatch(r"postgresql://career:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/career", env["DB_URL"])
        assert re.fullmatch(r"redis://:\$\{REDIS_PASSWORD[^}]*\}@redis:6379/0", env["REDIS_URL"])
        assert env["ACTION_ENDPOINT"] == "http://actions:5055/webhook"
        assert env["WIDGET_SECRET"].startswith("${WIDGET_SECRET:?")  # one secret for all: sessions work on any server
        assert env["RASA_CPUS"] == "${" + name.upper().replace("-", "_") + "_CPUS:-}"  # opt-in, one per server
        assert service(name)["command"] == ["scripts/run.sh", "rasa"]
        assert "ports" not in service(name)  # reached through the proxy only


def upstream(name: str) -> str:
    found = re.search(r"upstream " + name + r" \{(.*?)\}", NGINX, re.S)
    assert found is not None, f"no upstream {name} in deploy/nginx.conf"
    assert sorted(re.findall(r"server (rasa-\d+):5005", found.group(1))) == RASA
    return found.group(1)


def location(path: str) -> str:
    found = re.search(r"location " + re.escape(path) + r" \{(.*?)\}", NGINX, re.S)
    assert found is not None, f"no location {path} in deploy/nginx.conf"
    return found.group(1)


def test_the_proxy_keeps_each_widget_client_on_one_server() -> None:
    assert "ip_hash;" in upstream("rasa_sticky")
    assert "proxy_pass http://rasa_sticky;" in location("/socket.io/")
    assert "proxy_set_header Upgrade $http_upgrade;" in location("/socket.io/")  # socket.io's WebSocket upgrade
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in service("proxy")["volumes"]


def test_rest_and_slack_go_to_the_least_busy_server() -> None:
    assert "least_conn;" in upstream("rasa") and "ip_hash" not in upstream("rasa")
    assert "proxy_pass http://rasa;" in location("/")


def nginx_test(config: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on `config`, with the compose service names pointed at loopback (they resolve only in Docker)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):  # `make test` installs Debian's nginx (scripts/apt-install.sh)
        pytest.fail("nginx is not installed: run `make test`, or `apt-get install nginx`")
    conf = tmp_path / "nginx.conf"
    conf.write_text(re.sub(r"server rasa-(\d+):5005", r"server 127.0.0.\1:5005", config), encoding="utf-8")
    return subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf),
                           "-g", f"pid {tmp_path}/nginx.pid; error_log stderr;"], capture_output=True, text=True)


def test_nginx_accepts_the_proxy_configuration(tmp_path: Path) -> None:
    result = nginx_test(NGINX, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_check_catches_a_broken_configuration(tmp_path: Path) -> None:
    result = nginx_test(NGINX.replace("least_conn;", "least_conn", 1), tmp_path)
    assert result.returncode != 0


def test_no_secret_is_written_in_the_file() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert service("postgres")["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert not re.search(r"^\s*\w*(PASSWORD|SECRET|TOKEN)\w*:\s*(?!\$\{)\S", text, re.M)


def compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_accepts_the_file() -> None:
    cli = compose_cli()
    if cli is None:  # `make test` installs Debian's docker-compose (scripts/apt-install.sh)
        pytest.fail("neither `docker compose` nor `docker-compose` is installed: run `make test`, or "
                    "`apt-get install docker-compose`")
    env = {**os.environ, "POSTGRES_PASSWORD": "pw", "REDIS_PASSWORD": "pw", "WIDGET_SECRET": "w" * 32}
    result = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    missing = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], cwd=ROOT,
                             env={**{k: v for k, v in os.environ.items() if not k.endswith("_PASSWORD")}, "WIDGET_SECRET": "w" * 32},
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "set POSTGRES_PASSWORD" in missing.stderr + missing.stdout


def test_the_image_keeps_conversations_on_a_volume_where_the_default_puts_them() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    workdir = re.findall(r"^WORKDIR (\S+)$", dockerfile, re.MULTILINE)[-1]  # the image's checkout
    assert re.search(rf"^VOLUME {re.escape(workdir)}/var$", dockerfile, re.MULTILINE)
    assert "DATA_DIR" not in dockerfile  # so stores/settings.py's default, var/ in the checkout, applies
