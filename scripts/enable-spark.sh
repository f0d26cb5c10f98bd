#!/usr/bin/env bash
# Enable the Spark engine (`leerrecht signals FILE --engine spark`): installs Java (Debian's
# default JRE) when it is missing and the project's `spark` extra (pyspark) into .venv.
# Safe to run again. See docs/scale.md and docs/adr/0160-spark-engine-opt-in-extra.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

ensure_base_tools
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
ensure_venv spark
"$VENV/bin/python" -c 'import pyspark; print("Spark engine ready: pyspark", pyspark.__version__)'
