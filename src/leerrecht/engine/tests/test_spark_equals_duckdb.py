"""The same SQL on Spark gives exactly DuckDB's output (rows and normalised types)."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

from leerrecht.engine import signals_compute
from leerrecht.engine.compute import signals_plan, signals_run_duckdb
from leerrecht.engine.spark import signals_run_spark
from leerrecht.engine.tests.conftest import student, to_table
from leerrecht.engine.tests.strategies import students
from leerrecht.engine.tests.test_reference_property import SMALL

pytestmark = pytest.mark.spark


def _both(con, spark, tmp_path, days, params=None, as_of=None):
    table = to_table(days)
    path = tmp_path / "attendance.parquet"
    pq.write_table(table, path)
    con.register("attendance", table)
    plan = signals_plan(params=params)
    duck = signals_run_duckdb(con, plan=plan, as_of=as_of)
    sprk = signals_run_spark(parquet=path, plan=plan, as_of=as_of, spark=spark)
    assert sprk.schema == duck.schema
    assert sprk.to_pylist() == duck.to_pylist()
    return duck


def test_spark_equals_duckdb_on_a_known_case(con, spark, tmp_path):
    sick = {i: 6.0 for i in (2, 3, 6, 12, 13, 14, 15, 16, 17, 30, 40)}
    days = (
        student(
            "A",
            60,
            sick_hours=sick,
            late={i: 1 for i in range(1, 10)},
            sent_home_sick={20: 1, 22: 1},
            unauthorised_hours={50: 6, 51: 6},
        )
        + student("B", 40, unauthorised_hours={i: 6.0 for i in range(5, 30)})
        + student("C", 40, authorised_hours={i: 4.0 for i in range(1, 30)})
    )
    out = _both(con, spark, tmp_path, days, SMALL)
    assert out.num_rows >= 14
    _both(con, spark, tmp_path, days, SMALL, as_of=date(2024, 10, 1))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=students(max_students=6))
def test_spark_equals_duckdb_on_generated_data(con, spark, tmp_path, days):
    _both(con, spark, tmp_path, days, SMALL)


def test_signals_compute_engine_switch(spark, tmp_path):
    path = tmp_path / "att.csv"
    rows = ["student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours"]
    rows += [f"A,2024-09-{d:02d},6,6,0,0" for d in (2, 3, 4, 5, 6)]
    path.write_text("\n".join(rows) + "\n")
    a = signals_compute(attendance=path, preset="landelijk")
    b = signals_compute(attendance=path, preset="landelijk", engine="spark")
    assert a.to_pylist() == b.to_pylist()
    assert a.column("signal").to_pylist() == ["unauthorised_16h_4w"]
