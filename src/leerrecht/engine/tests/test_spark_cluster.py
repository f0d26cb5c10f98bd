"""A real Spark standalone cluster (one master, two workers) gives DuckDB's output.

The cluster is started with Spark's own daemon script from the pyspark package
(``sbin/spark-daemon.sh``, which ``start-master.sh``/``start-worker.sh`` wrap in a full
Spark distribution), the job runs through the CLI in its own process
(``leerrecht signals --engine spark --spark-master spark://...``) and writes Parquet,
and the cluster is stopped again. See docs/scale.md.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from leerrecht.engine import signals_compute

pytestmark = pytest.mark.spark

MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"
# two rules (an event sum and a sick spell) keep the job short; the local-mode Spark tests
# compare every rule
SIGNALS = ["--signal", "unauthorised_16h_4w", "--signal", "sick_spell_7th_day"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _master_state(ui_port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=5) as resp:
        return json.load(resp)


@pytest.fixture
def standalone_cluster(tmp_path):
    """spark://127.0.0.1:PORT with two workers of one core each; stopped afterwards."""
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: run scripts/test.sh, which installs it")
    import pyspark

    daemon = Path(pyspark.__file__).parent / "sbin" / "spark-daemon.sh"
    port, ui_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "SPARK_HOME": str(daemon.parent.parent),
        "SPARK_LOG_DIR": str(tmp_path / "logs"),
        "SPARK_PID_DIR": str(tmp_path / "pids"),
        "SPARK_WORKER_DIR": str(tmp_path / "work"),
        "SPARK_IDENT_STRING": f"leerrecht-test-{os.getpid()}",
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_DAEMON_MEMORY": "256m",
        "PYSPARK_PYTHON": sys.executable,
    }
    url = f"spark://127.0.0.1:{port}"
    started: list[tuple[str, int]] = []

    def daemon_run(action: str, cls: str, instance: int, *args: str) -> None:
        subprocess.run(
            ["bash", str(daemon), action, cls, str(instance), *args],
            env=env,
            check=True,
            capture_output=True,
        )

    try:
        daemon_run("start", MASTER, 1, "--host", "127.0.0.1", "--port", str(port),
                   "--webui-port", str(ui_port))  # fmt: skip
        started.append((MASTER, 1))
        for i in (1, 2):
            daemon_run("start", WORKER, i, "--host", "127.0.0.1", "--cores", "1",
                       "--memory", "1g", "--webui-port", str(_free_port()), url)  # fmt: skip
            started.append((WORKER, i))
        deadline = time.monotonic() + 90
        while True:
            try:
                alive = [w for w in _master_state(ui_port)["workers"] if w["state"] == "ALIVE"]
            except OSError:
                alive = []
            if len(alive) == 2:
                break
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-2000:] for p in (tmp_path / "logs").glob("*"))
                pytest.fail(f"the standalone cluster did not come up:\n{logs}")
            time.sleep(0.5)
        yield url, ui_port
    finally:
        for cls, i in reversed(started):
            subprocess.run(
                ["bash", str(daemon), "stop", cls, str(i)],
                env=env,
                check=False,
                capture_output=True,
            )


def test_standalone_cluster_equals_duckdb(standalone_cluster, tmp_path):
    url, ui_port = standalone_cluster
    att = tmp_path / "att.csv"
    rows = ["student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"]
    days = [f"2024-09-{d:02d}" for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)]
    for k in range(6):
        for i, d in enumerate(days):
            unauth = 6 if (k % 2 == 0 and i >= k) else 0
            sick = 6 if (k % 2 == 1 and i >= 2 * k - 1) else 0
            rows.append(f"S{k},{d},6,{unauth},{sick},0")
    att.write_text("\n".join(rows) + "\n")
    out = tmp_path / "signals.parquet"
    proc = subprocess.run(
        [sys.executable, "-m", "leerrecht.cli", "signals", str(att), *SIGNALS, "--engine",
         "spark", "--spark-master", url, "--spark-workdir", str(tmp_path), "--output", str(out)],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    on_cluster = pq.read_table(out)
    in_process = signals_compute(attendance=att, signal_ids=SIGNALS[1::2])
    assert on_cluster.to_pylist() == in_process.to_pylist()
    assert set(on_cluster.column("signal").to_pylist()) == set(SIGNALS[1::2])
    # the job really ran on the cluster: the master lists it as a finished application
    apps = _master_state(ui_port)["completedapps"]
    assert [a["name"] for a in apps] == ["leerrecht-signals"]
