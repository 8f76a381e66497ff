#!/usr/bin/env bash
# Installs what the test suite needs from Debian when it is missing: Chromium for the browser
# tests, a PostgreSQL server for the database tests, a Redis server for limits shared by
# workers, and Pango with fonts for the report's PDF (WeasyPrint). Needs root (apt-get) the first time.
set -euo pipefail

missing=()
# `make bench` also needs wrk, a load generator in C, to measure pages faster than Python
# clients could ask for them.
[ "${1:-}" = "--bench" ] && { command -v wrk >/dev/null 2>&1 || missing+=(wrk); }
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# WeasyPrint (the board report's PDF) draws text with Pango, and needs fonts to draw it in.
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
compgen -G "/usr/share/fonts/truetype/liberation/*" >/dev/null || missing+=(fonts-liberation)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
