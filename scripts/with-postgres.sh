#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: a new data directory, a free loopback
# port, TEST_DATABASE_URL exported for the command, and the server stopped afterwards.
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/engage-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$work"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$work/data" -U engage --auth=trust -E UTF8 --no-locale >/dev/null
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w start -o \
  "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U engage -d postgres -qc "CREATE DATABASE engage_test" >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port"

export TEST_DATABASE_URL="postgresql+psycopg://engage@127.0.0.1:$port/engage_test"
"$@"
