"""Wait until the Rasa server's readiness check answers 200, then say so with the URLs to open.

Run by scripts/run.sh beside the servers, so "ready" is printed only when a message would be
answered: the model is loaded and the action server answers.

    python -m server.wait_ready --port 5005 [--timeout 300]
"""
from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

POLL_SECONDS = 1.0
PROGRESS_EVERY = 10.0


def is_ready(url: str) -> bool:
    """True when `url` answers 200 (a 503 or no answer yet is False)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return bool(reply.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait(url: str, *, timeout: float, poll: float = POLL_SECONDS) -> float | None:
    """Seconds until `url` was ready, or None after `timeout`; prints a line every PROGRESS_EVERY seconds."""
    started = time.monotonic()
    next_note = started + PROGRESS_EVERY
    while (elapsed := time.monotonic() - started) < timeout:
        if is_ready(url):
            return elapsed
        if time.monotonic() >= next_note:
            print(f"  … still loading the model and waiting for the action server ({elapsed:.0f} s)", flush=True)
            next_note += PROGRESS_EVERY
        time.sleep(poll)
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Wait for the Rasa server to be ready.")
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    base = f"http://localhost:{args.port}"
    print("Starting the servers (loading the model takes about half a minute)…", flush=True)
    took = wait(f"http://127.0.0.1:{args.port}/webhooks/rest/ready", timeout=args.timeout)
    if took is None:
        print(f"Not ready after {args.timeout:.0f} s: see the server log above.", file=sys.stderr, flush=True)
        return 1
    print(f"\nReady in {took:.0f} s.\n"
          f"  Chat widget demo page: {base}/webchat/\n"
          f"  REST channel:          POST {base}/webhooks/rest/webhook  {{\"sender\": \"me\", \"message\": \"hi\"}}\n"
          "Ctrl-C stops both servers.\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
