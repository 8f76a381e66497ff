#!/usr/bin/env bash
# Runs a command beside a throwaway Redis server: a free loopback port, nothing written to
# disk, TEST_REDIS_URL exported for the command, and the server stopped afterwards.
set -euo pipefail

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d /tmp/engage-redis.XXXXXX)
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$work" \
  --logfile "$work/redis.log" --daemonize no &
pid=$!
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) running on 127.0.0.1:$port"

export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
"$@"
