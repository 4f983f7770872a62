#!/usr/bin/env bash
# The browser the browser tests drive: Debian's Chromium at /usr/bin/chromium, installed with apt.
# (Playwright's own browser downloads are never used.)
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "error: the browser tests need Debian's Chromium (/usr/bin/chromium) and only root can install it." >&2
  echo "Run as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no apt-get here; install Chromium so that /usr/bin/chromium exists, then rerun." >&2
  exit 1
fi
echo "Installing Chromium with apt (for the browser tests)…"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; then
  echo "error: 'apt-get install chromium' failed (see above); the browser tests need /usr/bin/chromium." >&2
  exit 1
fi
[ -x /usr/bin/chromium ] || { echo "error: apt installed chromium but /usr/bin/chromium is missing" >&2; exit 1; }
