#!/usr/bin/env bash
# Load benchmark of the web UI (not a test): a private PostgreSQL cluster, the demo region
# at region size, the production server (`leerrecht serve`: gunicorn + job worker) and
# Locust with 50 concurrent users across the roles. Prints Locust's statistics (p50/p95 per
# page, errors). See docs/performance.md ("Web at region size").
#
#   STUDENTS=200000 CASES=20000 USERS=50 DURATION=10m benchmarks/load/run.sh
#
# Locust is installed from PyPI into a separate virtualenv (benchmarks/data/locust-venv):
# it is not a test or product dependency. Everything lives under benchmarks/data/load
# (git-ignored); the database is reused when it already holds the same demo size.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
STUDENTS="${STUDENTS:-200000}"; CASES="${CASES:-20000}"; USERS="${USERS:-50}"
DURATION="${DURATION:-10m}"; SPAWN="${SPAWN:-5}"
PG_PORT="${LOAD_PG_PORT:-54341}"; WEB_PORT="${LOAD_WEB_PORT:-8041}"; WEB_WORKERS="${WEB_WORKERS:-2}"
WORK="$ROOT/benchmarks/data/load"; PG_DIR="$WORK/pg"
mkdir -p "$WORK"

LOCUST_VENV="$ROOT/benchmarks/data/locust-venv"
[ -x "$LOCUST_VENV/bin/locust" ] || { python3.11 -m venv "$LOCUST_VENV"; "$LOCUST_VENV/bin/pip" install -q locust; }

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pg_as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$PG_DIR/PG_VERSION" ]; then
  mkdir -p "$PG_DIR"; [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR" -U leerrecht --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1 || \
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c shared_buffers=512MB"
createdb -h 127.0.0.1 -p "$PG_PORT" -U leerrecht leerrecht 2>/dev/null || true

export DATABASE_URL="postgres://leerrecht@127.0.0.1:$PG_PORT/leerrecht"
export LEERRECHT_DATA_DIR="$WORK/data" LEERRECHT_SECRET_KEY="load-benchmark-only"
LOADED="$WORK/loaded-$STUDENTS-$CASES"
.venv/bin/leerrecht setup  # migrations of the code under test (idempotent)
if [ ! -f "$LOADED" ]; then
  /usr/bin/time -v .venv/bin/leerrecht demo --students "$STUDENTS" --cases "$CASES" \
    2> "$WORK/demo-time.txt" >/dev/null
  grep -E "Elapsed|Maximum resident" "$WORK/demo-time.txt"
  touch "$LOADED"
fi
.venv/bin/python benchmarks/load/accounts.py --per-role 15 --out "$WORK/accounts.json"
# A running server has computed the dashboard's shared figures before (they are reused for
# LEERRECHT_FIGURES_CACHE_SECONDS, then recomputed by one request at a time): fill them once.
.venv/bin/python benchmarks/load/pages.py --only-dashboard

.venv/bin/leerrecht serve --port "$WEB_PORT" --workers "$WEB_WORKERS" > "$WORK/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; wait $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$WEB_PORT/gezondheid/" >/dev/null && break; sleep 1; done

LOAD_ACCOUNTS="$WORK/accounts.json" "$LOCUST_VENV/bin/locust" -f benchmarks/load/locustfile.py \
  --headless --host "http://127.0.0.1:$WEB_PORT" -u "$USERS" -r "$SPAWN" -t "$DURATION" \
  --csv "$WORK/locust" --only-summary 2>&1 | tail -n 40
echo "statistics: $WORK/locust_stats.csv (p95 column '95%')"
