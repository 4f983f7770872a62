"""A Sanic app served by a thread of the test process, on a free port, and raw HTTP requests to it.

Faster than starting the real servers (no model to load), and it still goes through Sanic's own HTTP
parsing, which is where some malformed requests used to fail. What the app logs meanwhile is kept,
so a test can check that nothing was logged with a traceback.
"""
from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sanic import Sanic

from tools.harness.servers import free_port

TIMEOUT = 15.0


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: the server closed the connection without answering
    head: str
    body: bytes


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []  # emit() runs under the handler's own lock

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class LiveApp:
    port: int
    _records: _Records = field(repr=False)

    def request(self, raw: bytes, *, then_close: bool = False) -> Reply:
        """Send `raw` (a whole HTTP/1.1 request, which should say `Connection: close`) and read the reply.

        `then_close` closes our side after sending, so that a Content-Length longer than the body
        makes the server give up at once instead of waiting for the rest. (Not always: the server
        may also drop a request it was still working on when the client closed.)
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT) as connection:
            connection.sendall(raw)
            if then_close:
                connection.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].split(b" ")
        status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
        return Reply(status, head.decode("latin-1"), body)

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> Reply:
        """POST `body` to `path` with a right Content-Length; `headers` may add or replace others."""
        length = str(len(body))
        fields = {"Host": "127.0.0.1", "Content-Type": "application/json", "Content-Length": length,
                  "Connection": "close", **(headers or {})}
        head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in fields.items())
        return self.request(head.encode("utf-8", "surrogateescape") + b"\r\n" + body,
                            then_close=fields["Content-Length"] != length)

    def get(self, path: str) -> Reply:
        return self.request(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())

    def records(self) -> list[logging.LogRecord]:
        with self._records.lock:  # type: ignore[union-attr]  # logging.Handler's lock, made in __init__
            return list(self._records.records)

    def tracebacks(self) -> list[str]:
        """Log lines written with a traceback since the app started."""
        return [f"{record.name}: {record.getMessage()}" for record in self.records() if record.exc_info or record.stack_info]


@contextmanager
def serving(app: Sanic) -> Iterator[LiveApp]:
    """`app` listening on a free loopback port until the block ends; its name is free again afterwards."""
    # Sanic rewrites its HTTP class's methods when an app starts (dropping signal dispatches no app
    # listens to), once per process unless in test mode, which starts from the originals each time.
    test_mode, Sanic.test_mode = Sanic.test_mode, True
    records = _Records()
    logging.getLogger().addHandler(records)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=f"serving {app.name}", daemon=True)
    thread.start()
    port = free_port()

    async def start() -> Any:
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        return server

    async def stop(server: Any) -> None:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]  # socket.io's pings
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)

    try:
        server = asyncio.run_coroutine_threadsafe(start(), loop).result(TIMEOUT)
        try:
            yield LiveApp(port, records)
        finally:
            asyncio.run_coroutine_threadsafe(stop(server), loop).result(TIMEOUT)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(TIMEOUT)
        loop.close()
        logging.getLogger().removeHandler(records)
        Sanic._app_registry.pop(app.name, None)  # so the next test may build an app of the same name
        Sanic.test_mode = test_mode
