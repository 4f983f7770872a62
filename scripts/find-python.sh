#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 refuses 3.11+), or explain and fail.
# Looks at $PYTHON, python3.10 on PATH, pyenv's versions, then the usual system locations.
set -u
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for p in "$root"/versions/3.10*/bin/python; do [ -x "$p" ] && candidates+=("$p"); done
fi
for p in "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$p")
done
for p in "${candidates[@]}"; do
  if "$p" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
    echo "$p"
    exit 0
  fi
done
cat >&2 <<'MSG'
error: no Python 3.10 found. Rasa 3.6 runs on Python 3.10 only (it refuses 3.11 and newer).
Install one, for example `pyenv install 3.10.13` or your system's python3.10 package,
or point PYTHON at it: `make PYTHON=/path/to/python3.10 run`.
MSG
exit 1
