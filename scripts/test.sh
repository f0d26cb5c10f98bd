#!/usr/bin/env bash
# Install what the tests need and run the whole suite: lint, then every test on SQLite,
# then every database test again on PostgreSQL. Fails when anything fails (pytest's exit 5,
# "no tests collected", fails too). Extra arguments go to both pytest runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

ensure_base_tools
# PostgreSQL server, Chromium for the browser tests, Java for Spark, fonts for PDFs.
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
apt_install postgresql chromium fonts-dejavu-core
ensure_venv test
ensure_assets

say "lint (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

# A private PostgreSQL cluster on loopback, owned by the test run (not the system cluster).
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PG_PORT="${LEERRECHT_TEST_PG_PORT:-54329}"
PG_DIR="${TMPDIR:-/tmp}/leerrecht-test-pg"
pg_as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$PG_DIR/PG_VERSION" ]; then
  say "creating a PostgreSQL test cluster in $PG_DIR"
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR" -U leerrecht --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

export LEERRECHT_CHROMIUM=/usr/bin/chromium
export LEERRECHT_TEST_ARTIFACTS="$REPO_ROOT/test-artifacts"
mkdir -p "$LEERRECHT_TEST_ARTIFACTS"

say "tests on SQLite (the embedded default)"
env -u DATABASE_URL "$VENV/bin/pytest" -p no:cacheprovider "$@"

say "tests on PostgreSQL (database tests; the engine's own tests do not touch a database)"
DATABASE_URL="postgres://leerrecht@127.0.0.1:$PG_PORT/leerrecht" \
  "$VENV/bin/pytest" -p no:cacheprovider -m "not spark" --ignore=src/leerrecht/engine \
  --ignore=src/leerrecht/demo "$@"
