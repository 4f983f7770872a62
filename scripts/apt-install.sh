#!/usr/bin/env bash
# A Debian package some tests need, installed with apt when its program is missing:
#   scripts/apt-install.sh /usr/bin/chromium chromium "the browser tests"
# (Tools that download their own binaries, such as Playwright's browsers, are never used.)
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 PROGRAM PACKAGE WHAT-NEEDS-IT" >&2; exit 2; }
program=$1 package=$2 purpose=$3
[ -x "$program" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "error: $purpose need Debian's $package ($program) and only root can install it." >&2
  echo "Run as root: apt-get update && apt-get install -y $package" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no apt-get here; install $package so that $program exists, then rerun." >&2
  exit 1
fi
echo "== Installing Debian's $package with apt, for $purpose (about a minute)"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; }; then
  echo "error: 'apt-get install $package' failed (see above); $purpose need $program." >&2
  exit 1
fi
[ -x "$program" ] || { echo "error: apt installed $package but $program is missing" >&2; exit 1; }
