"""`leerrecht protocol diff|simulate`: compare two protocol versions (no Django unless a
stored version is named).

A protocol is named as a shipped preset (``landelijk``), a TOML file
(``draft.toml``) or a version stored in the product (``haaglanden-po@3``; this one opens
the database). Output is CSV on stdout; bad input is one line on stderr, exit 2.

``diff A B``      columns path,change,before,after (one row per changed rule).
``simulate DRAFT --attendance FILE [--against CURRENT]``
                  columns dimension,group,signal,<A>,<B>,difference: children flagged per
                  signal ("*" = by any signal) in total, per school and municipality (when
                  the file has those columns) and per week of the first signal day.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from leerrecht.cli.errors import err_console, fail

app = typer.Typer(
    help="Protocol versions: what changed, and what a change would do to the signals.",
    no_args_is_help=True,
)


def _load(ref: str):
    """A preset by name, file or stored version (NAME@NUMBER)."""
    from leerrecht.engine.errors import PresetError
    from leerrecht.engine.presets import preset_load

    try:
        if "@" in ref and not Path(ref).is_file():
            return _stored(ref)
        return preset_load(name_or_path=ref)
    except PresetError as exc:
        fail(str(exc))


def _stored(ref: str):
    name, _, number = ref.rpartition("@")
    if not number.isdigit():
        fail(f"{ref!r}: a stored version is NAME@NUMBER, e.g. haaglanden-po@2")
    from leerrecht.cli.django_setup import django_setup

    django_setup()
    from leerrecht.protocols.selectors import protocol_version_get, protocol_version_preset

    version = protocol_version_get(preset_name=name, number=int(number))
    if version is None:
        fail(f"{ref!r}: no such protocol version in the database")
    return protocol_version_preset(version=version)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@app.command("diff")
def diff(
    before: Annotated[str, typer.Argument(help="Preset name, TOML file or NAME@NUMBER.")],
    after: Annotated[str, typer.Argument(help="Preset name, TOML file or NAME@NUMBER.")],
) -> None:
    """Print every rule that differs between two protocols as CSV."""
    from leerrecht.engine.preset_diff import preset_diff

    changes = preset_diff(_load(before), _load(after))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["path", "change", "before", "after"])
    for change in changes:
        writer.writerow([change.path, change.kind, _cell(change.before), _cell(change.after)])


def _groups(attendance: list[Path]) -> dict[str, dict[str, str]]:
    """school / municipality per student when the attendance file has those columns."""
    import duckdb

    groups: dict[str, dict[str, str]] = {}
    con = duckdb.connect()
    try:
        for path in attendance:
            reader = "read_parquet" if path.suffix.lower() in (".parquet", ".pq") else "read_csv"
            try:
                names = [
                    r[0]
                    for r in con.execute(
                        f"DESCRIBE SELECT * FROM {reader}(?)", [str(path)]
                    ).fetchall()
                ]
            except duckdb.Error:
                return {}
            present = [c for c in ("school", "municipality") if c in names]
            if not present:
                continue
            select = ", ".join(f"any_value(CAST({c} AS VARCHAR))" for c in present)
            for sid, *values in con.execute(
                f"SELECT CAST(student_id AS VARCHAR), {select} FROM {reader}(?) GROUP BY 1",
                [str(path)],
            ).fetchall():
                groups[sid] = {c: v for c, v in zip(present, values, strict=True) if v}
    finally:
        con.close()
    return groups


@app.command("simulate")
def simulate(
    draft: Annotated[str, typer.Argument(help="The protocol to try: name, TOML file, NAME@N.")],
    attendance: Annotated[
        list[Path],
        typer.Option("--attendance", help="Attendance CSV or Parquet file (repeatable)."),
    ],
    against: Annotated[
        str,
        typer.Option("--against", help="The protocol to compare with (default: landelijk)."),
    ] = "landelijk",
    calendar: Annotated[
        Path | None,
        typer.Option("--calendar", help="School calendar CSV (date[,default_scheduled_hours])."),
    ] = None,
) -> None:
    """Children flagged per signal under AGAINST and under DRAFT, side by side, as CSV."""
    from leerrecht.engine import EngineInputError
    from leerrecht.engine.simulate import simulate_presets, simulation_compare

    current, candidate = _load(against), _load(draft)
    for path in attendance:
        if not path.is_file():
            fail(f"{path}: file not found")
    try:
        before, after = simulate_presets(
            attendance=attendance if len(attendance) > 1 else attendance[0],
            presets=[current, candidate],
            calendar=calendar,
        )
    except EngineInputError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            err_console.print(Text.assemble(("error:", "bold red"), " ", line), soft_wrap=True)
        raise typer.Exit(2) from None
    comparison = simulation_compare(before, after, groups=_groups(attendance))
    names = [against, draft] if against != draft else [f"{against} (1)", f"{draft} (2)"]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["dimension", "group", "signal", *names, "difference"])
    for row in comparison.rows:
        writer.writerow(
            [row.dimension, row.group, row.signal, row.before, row.after, row.difference]
        )
