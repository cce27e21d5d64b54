#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb in a temporary folder, listening on loopback
# only, stopped and removed afterwards. The command sees DATABASE_URL.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (make setup installs it)" >&2; exit 1; }
dir=$(mktemp -d /tmp/selfassess-pg.XXXXXX)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$bin/initdb" -D "$dir/data" -A trust -U selfassess -E UTF8 --no-sync >/dev/null
# Durability is not the point of a test server: skip the waits for the disk.
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
trap 'as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
export DATABASE_URL="postgres://selfassess@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
