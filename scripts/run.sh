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
.venv/bin/python -m server.credentials build/credentials.yml
# Web origins allowed to use the bot from a browser (CORS_ORIGINS, see channels/origins.py): the same
# list guards socket.io (in the webchat channel) and the HTTP API (--cors).
origins=$(.venv/bin/python -m channels.origins)
read -ra cors_origins <<< "$origins"
# endpoints.yml plus where conversations (DB_URL, else SQLite under DATA_DIR=var/) and locks (REDIS_URL)
# are kept; then stop at once, naming it, if the database or Redis cannot be reached.
if [[ $servers != actions ]]; then
  .venv/bin/python -m server.endpoints build/endpoints.yml
  .venv/bin/python -m server.preflight
  # Widget session ids are signed with WIDGET_SECRET (channels/sessions.py). Unset, one is made once
  # and kept beside the conversations, so visitors' sessions survive a restart of `make run`.
  if [[ -z ${WIDGET_SECRET:-} ]]; then
    secret_file="${DATA_DIR:-var}/widget-secret"
    if [[ ! -s $secret_file ]]; then
      mkdir -p "$(dirname "$secret_file")"
      (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > "$secret_file")
    fi
    WIDGET_SECRET=$(< "$secret_file")
    export WIDGET_SECRET
  fi
fi

pids=() waiter=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}" "${waiter[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [[ $servers != rasa ]]; then
  .venv/bin/python -m server.action_server --port "$ACTIONS_PORT" &
  pids+=($!)
fi
[[ $servers == actions ]] && { wait -n "${pids[@]}"; exit; }
# `rasa run`, with the HTTP API off unless RASA_API_ENABLED=true (then JWT, RASA_JWT_SECRET): server/rasa_server.py
.venv/bin/python -m server.rasa_server --model models/career.tar.gz --port "$RASA_PORT" \
  --endpoints build/endpoints.yml --credentials build/credentials.yml --cors "${cors_origins[@]}" &
pids+=($!)
# "Ready" and the URLs only once the readiness check answers (server/wait_ready.py).
.venv/bin/python -m server.wait_ready --port "$RASA_PORT" &
waiter+=($!)
wait -n "${pids[@]}"
