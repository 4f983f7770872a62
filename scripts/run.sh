#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C (or either one dying) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
export ACTION_ENDPOINT=${ACTION_ENDPOINT:-http://127.0.0.1:${ACTIONS_PORT}/webhook}

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/python scripts/action_server.py --port "$ACTIONS_PORT" &
pids+=($!)
.venv/bin/rasa run --model models/career.tar.gz --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml &
pids+=($!)
echo "Starting… the REST channel will answer on http://localhost:${RASA_PORT}/webhooks/rest/webhook"
wait -n "${pids[@]}"
