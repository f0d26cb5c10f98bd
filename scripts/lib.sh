# Shared steps of scripts/run.sh and scripts/test.sh (sourced, not executed).
# Everything is idempotent: re-running skips what is already in place.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PY="${LEERRECHT_PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: '$*' needs root; install it by hand or run as root" >&2; return 1; fi
}

_apt_updated=0
apt_install() {
  # apt_install PKG... : install the Debian packages that are missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ $_apt_updated = 0 ]; then as_root apt-get update -qq; _apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_base_tools() {
  "$PY" -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
}

ensure_venv() {
  # ensure_venv [EXTRAS] : .venv at the repository root with the project installed (editable).
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  local spec="$REPO_ROOT"
  [ -n "$extras" ] && spec="$REPO_ROOT[$extras]"
  local stamp="$VENV/.installed-$(echo "$extras" | tr ',' '-')"
  if [ ! -f "$stamp" ] || [ "$REPO_ROOT/pyproject.toml" -nt "$stamp" ]; then
    say "installing Python packages${extras:+ (with $extras)}"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$spec"
    touch "$stamp"
  fi
}

ensure_assets() {
  # NL Design System CSS, design tokens, htmx (and axe-core for tests) from the npm registry.
  if [ ! -d "$REPO_ROOT/node_modules/@utrecht/component-library-css" ] || \
     [ "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]; then
    say "installing front-end assets (npm)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
