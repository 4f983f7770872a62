#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C (or either one dying) stops both.
# `scripts/run.sh rasa` or `scripts/run.sh actions` starts one of them (a container each: docker-compose.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
servers=${1:-both}
[[ $servers =~ ^(both|rasa|actions)$ ]] || { echo "usage: scripts/run.sh [both|rasa|actions]" >&2; exit 2; }
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
export ACTION_ENDPOINT=${ACTION_ENDPOINT:-http://127.0.0.1:${ACTIONS_PORT}/webhook}
# credentials.yml, plus the Slack channel when SLACK_TOKEN and SLACK_SIGNING_SECRET are set.
.venv/bin/python scripts/credentials.py build/credentials.yml
# Web origins allowed to use the bot from a browser (CORS_ORIGINS, see bot/origins.py): the same
# list guards socket.io (in the webchat channel) and the HTTP API (--cors).
origins=$(.venv/bin/python -m bot.origins)
read -ra cors_origins <<< "$origins"
# endpoints.yml plus where conversations (DB_URL, else SQLite under DATA_DIR=var/) and locks (REDIS_URL)
# are kept; then stop at once, naming it, if the database or Redis cannot be reached.
if [[ $servers != actions ]]; then
  .venv/bin/python scripts/endpoints.py build/endpoints.yml
  .venv/bin/python scripts/preflight.py
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [[ $servers != rasa ]]; then
  .venv/bin/python scripts/action_server.py --port "$ACTIONS_PORT" &
  pids+=($!)
fi
[[ $servers == actions ]] && { wait -n "${pids[@]}"; exit; }
# `rasa run`, with the HTTP API off unless RASA_API_ENABLED=true (then JWT, RASA_JWT_SECRET): scripts/rasa_server.py
.venv/bin/python scripts/rasa_server.py --model models/career.tar.gz --port "$RASA_PORT" \
  --endpoints build/endpoints.yml --credentials build/credentials.yml --cors "${cors_origins[@]}" &
pids+=($!)
echo "Starting… the REST channel will answer on http://localhost:${RASA_PORT}/webhooks/rest/webhook"
echo "          the chat widget demo page will be on http://localhost:${RASA_PORT}/webchat/"
wait -n "${pids[@]}"
