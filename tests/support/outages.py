"""Ways for a test to make the action server fail: stopped, hanging, or answering 500, then back."""
from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from urllib.parse import urlsplit

from tools.harness.servers import ROOT, Servers, stop, wait_until_up


def actions_port(servers: Servers) -> int:
    port = urlsplit(servers.actions_url).port
    assert port is not None
    return port


@contextmanager
def action_server_stopped(servers: Servers) -> Iterator[None]:
    """The action server is stopped inside the block and started again, on the same port, after it.

    The new process replaces `servers.actions`; whoever started the servers must stop that one
    (running_servers stops the process it started; see the `api_servers` fixture).
    """
    stop(servers.actions)
    try:
        yield
    finally:
        start_action_server(servers)


def start_action_server(servers: Servers) -> None:
    log = servers.log_dir / "actions.log"
    servers.actions = subprocess.Popen(
        [sys.executable, "-m", "server.action_server", "--port", str(actions_port(servers))],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )
    wait_until_up(f"{servers.actions_url}/health", servers.actions, log, timeout=60)


@contextmanager
def hanging(port: int) -> Iterator[None]:
    """Something on `port` that accepts connections (the kernel completes them) and never answers."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        yield


def _replying(status: int, body: bytes) -> type[http.server.BaseHTTPRequestHandler]:
    class Replying(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
            pass

    return Replying


@contextmanager
def answering(port: int, status: int, body: bytes) -> Iterator[None]:
    """An HTTP server on `port` that answers every POST with `status` and `body`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _replying(status, body))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def answering_500(port: int) -> AbstractContextManager[None]:
    return answering(port, 500, b'{"error": "internal error"}')


@contextmanager
def action_server_replaced_by(servers: Servers, kind: str) -> Iterator[None]:
    """The action server stopped, and on its port: nothing ("down"), a "hanging" listener, or a server "answering_500"."""
    with action_server_stopped(servers):
        port = actions_port(servers)
        if kind == "down":
            yield
        elif kind == "hanging":
            with hanging(port):
                yield
        elif kind == "answering_500":
            with answering_500(port):
                yield
        else:
            raise ValueError(kind)
