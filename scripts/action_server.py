"""Start the action server: validate the knowledge base first, bind to loopback by default.

rasa-sdk's own `rasa run actions` binds 0.0.0.0 and shows a traceback when an action fails to
load. Here a malformed bot/roles.yml stops start-up with one line naming the file, role and field.

    python scripts/action_server.py [--port 5055]
    ACTIONS_HOST=0.0.0.0 python scripts/action_server.py   # only behind a firewall
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import knowledge  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the career assistant's action server.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("ACTIONS_HOST", "127.0.0.1"))
    args = parser.parse_args()
    try:
        kb = knowledge.load()
    except knowledge.KnowledgeBaseError as exc:
        print(f"action server not started: knowledge base error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    logging.getLogger(__name__).info("knowledge base loaded: %d roles, %d aspects", len(kb.roles), len(kb.aspects))

    os.environ["SANIC_HOST"] = args.host  # rasa-sdk reads the bind address from here
    from rasa_sdk import endpoint

    endpoint.run("actions", port=args.port, auto_reload=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
