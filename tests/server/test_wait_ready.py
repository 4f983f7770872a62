"""server/wait_ready.py: `make run` says "ready" only once the readiness check answers 200."""
from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from server import wait_ready


@contextmanager
def readiness(statuses: list[int]) -> Iterator[str]:
    """A server whose readiness check answers each status in turn, then the last one for ever."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/rest/ready"
    finally:
        server.shutdown()


def test_not_ready_until_the_check_answers_200() -> None:
    with readiness([503, 503, 200]) as url:
        assert not wait_ready.is_ready(url)
        assert not wait_ready.is_ready(url)
        assert wait_ready.is_ready(url)


def test_waiting_gives_up_after_the_timeout() -> None:
    with readiness([503]) as url:
        assert wait_ready.wait(url, timeout=0.3, poll=0.05) is None


def test_no_server_is_not_ready() -> None:
    assert not wait_ready.is_ready("http://127.0.0.1:9/ready")


def test_ready_prints_the_urls_only_when_ready(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(wait_ready, "wait", lambda url, timeout: None)
    assert wait_ready.main(["--port", "5999", "--timeout", "1"]) == 1
    out = capsys.readouterr()
    assert "webchat" not in out.out and "Not ready after 1 s" in out.err
    monkeypatch.setattr(wait_ready, "wait", lambda url, timeout: 12.0)
    assert wait_ready.main(["--port", "5999"]) == 0
    assert "Ready in 12 s" in (printed := capsys.readouterr().out) and "http://localhost:5999/webchat/" in printed
