#!/usr/bin/env bash
# The whole suite, in order of speed; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
BIN=.venv/bin

echo "== lint and types (ruff, mypy --strict; about a minute)"
$BIN/ruff check .
$BIN/mypy

echo "== dependency audit (pip-audit; dependency-audit.yml; a few seconds)"
$BIN/python -m tools.audit

echo "== training data and domain (about 20 seconds)"
$BIN/python -W ignore -m tools.validate_data

echo "== unit, NLU floors and end-to-end tests (pytest; about 8 minutes: the end-to-end tests start real servers)"
$BIN/pytest "$@"

echo "== conversation tests (tests/test_stories.yml; about a minute)"
rm -rf results/stories
$BIN/rasa test core --model models/career.tar.gz --stories tests/test_stories.yml \
  --fail-on-prediction-errors --out results/stories --quiet
echo "conversation tests passed"
