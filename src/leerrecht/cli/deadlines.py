"""`leerrecht deadlines`: the full schedule of a case under a protocol preset (no Django).

For the people who maintain protocols: which norms, route steps and escalation steps a
case gets, with their dates. The output is a contract (docs/cases.md, "Deadline preview").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys

import typer

from leerrecht.cli.errors import fail

COLUMNS = ("kind", "key", "label", "earliest", "due", "source")


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r}: not a date (YYYY-MM-DD)")
        raise  # pragma: no cover - fail() exits


def deadlines(
    protocol: str = typer.Option(..., "--protocol", help="Preset name or path to a .toml file."),
    municipality: str = typer.Option(..., "--municipality", help="CBS code, e.g. GM0518."),
    anchor: str = typer.Option(..., "--anchor", help="First day of worrying absence."),
    opened: str = typer.Option(..., "--opened", help="Day the case is opened."),
    route: str = typer.Option("", "--route", help="Route key (default: the preset's)."),
    fmt: str = typer.Option("csv", "--format", help="csv or json."),
) -> None:
    """Print every deadline of a case: norms, route steps, escalation ladder."""
    from leerrecht.cases.deadlines import ProtocolError, protocol_load, schedule_preview
    from leerrecht.engine.sources import source_cite

    if fmt not in ("csv", "json"):
        fail(f"--format {fmt!r}: use csv or json")
    if not re.fullmatch(r"GM\d{4}", municipality):
        fail(f"--municipality {municipality!r}: a CBS code like GM0518")
    anchor_day, opened_day = _date(anchor, "--anchor"), _date(opened, "--opened")
    try:
        loaded = protocol_load(protocol)
        rows = schedule_preview(
            loaded,
            municipality_code=municipality,
            anchor=anchor_day,
            opened=opened_day,
            route_key=route or None,
        )
    except ProtocolError as exc:
        fail(str(exc))
    records = [
        {
            "kind": r.kind,
            "key": r.key,
            "label": r.label,
            "earliest": r.earliest.isoformat() if r.earliest else "",
            "due": r.due.isoformat() if r.due else "",
            "source": source_cite(r.source),
        }
        for r in rows
    ]
    if fmt == "json":
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
