#!/usr/bin/env bash
# Set up Leerrecht and run it on the embedded default: SQLite + DuckDB, the synthetic demo
# region, the web UI on http://127.0.0.1:8000. Safe to run again (nothing is duplicated).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

ensure_base_tools
ensure_venv
ensure_assets
"$VENV/bin/leerrecht" setup --demo
exec "$VENV/bin/leerrecht" serve --host "${LEERRECHT_HOST:-127.0.0.1}" --port "${LEERRECHT_PORT:-8000}"
