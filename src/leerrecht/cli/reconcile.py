"""`leerrecht reconcile A B` and `leerrecht absolute-verzuim REGISTER` (issue 7).

`reconcile` needs no database: it reads two CSV/XLSX lists, maps their columns from the
headers (override with --map-a/--map-b field=Header), and writes the result files.
`absolute-verzuim` reads enrolments and exemptions from the database, or from CSV files
given with --enrolments/--exemptions (then no database is used).

Every file goes through the one reader (reconciliation/matching/listio.py): a file that
cannot be read as a whole stops the command (exit 2, nothing written); a bad row never does
- it is listed in problems.csv (file, line, column, reason) and takes part without the bad
field (ADR 0140).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from leerrecht.cli.errors import fail
from leerrecht.monitoring.exports import neutralise_formula

console = Console(highlight=False)


# No square brackets: the help formatter (Rich markup) would swallow "[reconciliation]".
_PRESET_HELP = (
    "Protocol preset whose reconciliation table and school calendar apply "
    "(default: the LEERRECHT_PROTOCOL environment variable, else the shipped defaults)."
)


def _preset(preset: str) -> str | None:
    return preset or os.environ.get("LEERRECHT_PROTOCOL") or None


def _mapping(table, kind: str, overrides: list[str]) -> dict[str, str]:
    from leerrecht.reconciliation.matching.listio import fields_for, mapping_suggest

    mapping = mapping_suggest(table.headers, kind)
    known = {f for f, _l, _s in fields_for(kind)}
    for item in overrides:
        field, sep, header = item.partition("=")
        if not sep or field not in known:
            fail(f"--map {item!r}: use field=Header with field one of {', '.join(sorted(known))}")
        if header and header not in table.headers:
            fail(f"--map {item!r}: the file has no column {header!r}")
        mapping[field] = header
    return {f: h for f, h in mapping.items() if h}


def _load(path: Path, kind: str, overrides: list[str], problems: list) -> list[dict]:
    """The records of one file; its row-level problems are appended to `problems`."""
    from leerrecht.reconciliation.matching.listio import ListError, rows_validate, table_read

    if not path.is_file():
        fail(f"{path}: no such file")
    try:
        table = table_read(path.read_bytes(), path.name)
    except ListError as exc:
        fail(str(exc))
    result = rows_validate(table, _mapping(table, kind, overrides), kind)
    if result.errors:
        fail(f"{path.name}: nothing read: " + "; ".join(str(e) for e in result.errors))
    problems.extend(result.problems)
    return result.records


def _problems_write(out: Path, problems: list) -> None:
    from leerrecht.reconciliation.matching.listio import PROBLEM_HEADER

    _write(out / "problems.csv", PROBLEM_HEADER, (p.as_row() for p in problems))


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        # Names come from uploaded lists: never a live formula in a spreadsheet (OWASP).
        writer.writerows(
            [neutralise_formula(c) if isinstance(c, str) else c for c in row] for row in rows
        )


def _name(rec: dict) -> str:
    return " ".join(str(rec[f]) for f in ("given_names", "tussenvoegsel", "surname") if rec.get(f))


def _dob(rec: dict) -> str:
    d = rec.get("date_of_birth")
    return f"{d:%d-%m-%Y}" if d else ""


def reconcile(
    list_a: Annotated[Path, typer.Argument(help="First list (CSV or XLSX).")],
    list_b: Annotated[Path, typer.Argument(help="Second list (CSV or XLSX).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the result files.")] = Path(
        "reconcile-result"
    ),
    map_a: Annotated[
        list[str] | None, typer.Option("--map-a", help="Column of list A: field=Header.")
    ] = None,
    map_b: Annotated[
        list[str] | None, typer.Option("--map-b", help="Column of list B: field=Header.")
    ] = None,
    preset: Annotated[str, typer.Option("--preset", help=_PRESET_HELP)] = "",
) -> None:
    """Match two lists of children and write matched / review / conflicts / only-A / only-B /
    duplicates / problems files."""
    from leerrecht.reconciliation.matching import Person, config_load, link
    from leerrecht.reconciliation.matching.config import ConfigError

    try:
        cfg = config_load(_preset(preset))
    except ConfigError as exc:
        fail(str(exc))
    problems: list = []
    recs = {
        "a": _load(list_a, "list", map_a or [], problems),
        "b": _load(list_b, "list", map_b or [], problems),
    }
    text_fields = [
        "given_names",
        "tussenvoegsel",
        "surname",
        "bsn",
        "education_number",
        "status",
        "street",
        "house_number",
        "postcode",
        "woonplaats",
        "municipality",
    ]
    people = {
        side: [
            Person(
                ref=str(r["line"]),
                date_of_birth=r.get("date_of_birth"),
                **{f: r.get(f) or "" for f in text_fields},
            )
            for r in rows
        ]
        for side, rows in recs.items()
    }
    with console.status("matching ..."):
        result = link(people["a"], people["b"], config=cfg.matching)
    out.mkdir(parents=True, exist_ok=True)
    ra, rb = recs["a"], recs["b"]
    header = [
        "line_a",
        "name_a",
        "birth_date_a",
        "status_a",
        "line_b",
        "name_b",
        "birth_date_b",
        "status_b",
        "score",
        "method",
        "reasons",
        "against",
    ]

    def pair_rows(matches):
        for m in matches:
            a, b = ra[m.a], rb[m.b]
            yield [
                a["line"],
                _name(a),
                _dob(a),
                a.get("status", ""),
                b["line"],
                _name(b),
                _dob(b),
                b.get("status", ""),
                f"{m.score:.3f}",
                m.method,
                " | ".join(m.reasons),
                " | ".join(m.against),
            ]

    _write(
        out / "matched.csv", header, pair_rows(m for m in result.certain if not m.status_conflict)
    )
    _write(out / "conflicts.csv", header, pair_rows(result.conflicts))
    _write(out / "review.csv", header, pair_rows(result.review))
    single = ["line", "name", "birth_date", "bsn", "status"]
    _write(
        out / "only_a.csv",
        single,
        (
            [
                ra[i]["line"],
                _name(ra[i]),
                _dob(ra[i]),
                ra[i].get("bsn", ""),
                ra[i].get("status", ""),
            ]
            for i in result.only_a
        ),
    )
    _write(
        out / "only_b.csv",
        single,
        (
            [
                rb[j]["line"],
                _name(rb[j]),
                _dob(rb[j]),
                rb[j].get("bsn", ""),
                rb[j].get("status", ""),
            ]
            for j in result.only_b
        ),
    )
    names = {"a": list_a.name, "b": list_b.name}
    dup_rows = [
        [names[side], recs[side][i]["line"], recs[side][k]["line"]]
        for side, pairs in (("a", result.duplicates_a), ("b", result.duplicates_b))
        for i, k in pairs
    ]
    _write(out / "duplicates.csv", ["file", "line", "same_child_as_line"], dup_rows)
    from leerrecht.reconciliation.matching.listio import Problem

    problems += [
        Problem(line, "-", f"dubbel: zelfde kind als regel {k}", f) for f, line, k in dup_rows
    ]
    _problems_write(out, problems)
    summary = result.summary() | {
        "problems": len(problems),
        "list_a": str(list_a),
        "list_b": str(list_b),
        "config": cfg.source,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    console.print(
        f"matched {summary['matched']} (conflicting status {summary['conflicts']}), review {summary['review']}, "
        f"only in A {summary['only_a']}, only in B {summary['only_b']}; coverage A {summary['coverage_a']}%, "
        f"B {summary['coverage_b']}%; duplicates {len(dup_rows)}, problems {len(problems)} -> {out}/"
    )


def _spans(path: Path | None, kind: str, problems: list):
    """Enrolments or exemptions from a side file, through the same reader as every list."""
    from leerrecht.reconciliation.matching.absolute import Span

    if path is None:
        return []
    return [
        Span(r["bsn"], r["start"], r.get("end"), r.get("article", ""))
        for r in _load(path, kind, [], problems)
    ]


def absolute_verzuim(
    register: Annotated[Path, typer.Argument(help="Population-register extract (CSV or XLSX).")],
    on: Annotated[str, typer.Option("--on", help="Reference date; default today.")] = "",
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the result files.")] = Path(
        "absoluut-verzuim"
    ),
    enrolments: Annotated[
        Path | None, typer.Option("--enrolments", help="CSV bsn,start,end (no database).")
    ] = None,
    exemptions: Annotated[
        Path | None,
        typer.Option("--exemptions", help="CSV bsn,article,start,end (no database)."),
    ] = None,
    municipality: Annotated[
        list[str] | None, typer.Option("--municipality", help="Only these municipalities.")
    ] = None,
    map_register: Annotated[
        list[str] | None, typer.Option("--map", help="Column: field=Header (repeatable).")
    ] = None,
    preset: Annotated[str, typer.Option("--preset", help=_PRESET_HELP)] = "",
) -> None:
    """Children of compulsory school age without a school, with the reason each was kept or dropped."""
    from leerrecht.reconciliation.matching import config_load
    from leerrecht.reconciliation.matching.absolute import RegisterPerson, Span, evaluate
    from leerrecht.reconciliation.matching.config import school_day_test
    from leerrecht.reconciliation.matching.normalise import parse_date

    if map_register is None:
        map_register = []
    try:
        reference = parse_date(on) if on else dt.date.today()
    except ValueError as exc:
        fail(f"--on: {exc}")
    cfg = config_load(_preset(preset))
    problems: list = []
    rows = _load(register, "register", map_register or [], problems)
    people = [
        RegisterPerson(
            bsn=r["bsn"],
            surname=r["surname"],
            given_names=r.get("given_names", ""),
            tussenvoegsel=r.get("tussenvoegsel", ""),
            date_of_birth=r["date_of_birth"],
            municipality=r.get("municipality") or r.get("woonplaats") or "",
            address=" ".join(r[f] for f in ("street", "house_number") if r.get(f)),
            settled_on=r.get("settled_on"),
            departed_on=r.get("departed_on"),
            departure_reason=r.get("departure_reason", ""),
            starting_qualification=bool(r.get("starting_qualification")),
            line=r["line"],
        )
        for r in rows
    ]
    if enrolments is not None or exemptions is not None:
        enrol_spans = _spans(enrolments, "enrolments", problems)
        exempt_spans = _spans(exemptions, "exemptions", problems)
    else:
        from leerrecht.cli.django_setup import django_setup

        django_setup()
        from leerrecht.registry.models import Enrolment, Exemption

        bsns = {p.bsn for p in people if p.bsn}
        enrol_spans = [
            Span(*v)
            for v in Enrolment.objects.filter(student__bsn__in=bsns).values_list(
                "student__bsn", "start", "end"
            )
        ]
        exempt_spans = [
            Span(*v)
            for v in Exemption.objects.filter(student__bsn__in=bsns).values_list(
                "student__bsn", "start", "end", "article"
            )
        ]
    verdicts = evaluate(
        people,
        enrolments=enrol_spans,
        exemptions=exempt_spans,
        on=reference,
        leerplicht=cfg.leerplicht,
        rules=cfg.absolute_verzuim,
        municipalities=set(municipality or []) or None,
        is_school_day=school_day_test(_preset(preset)),
    )
    out.mkdir(parents=True, exist_ok=True)
    header = ["line", "bsn", "name", "birth_date", "municipality", "code", "reason"]

    def rows_of(kept: bool):
        for v in verdicts:
            if v.kept == kept:
                p = v.person
                name = " ".join(x for x in (p.given_names, p.tussenvoegsel, p.surname) if x)
                yield [
                    p.line,
                    p.bsn,
                    name,
                    f"{p.date_of_birth:%d-%m-%Y}",
                    p.municipality,
                    v.code,
                    v.reason,
                ]

    _write(out / "candidates.csv", header, rows_of(True))
    _write(out / "dropped.csv", header, rows_of(False))
    _problems_write(out, problems)
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.code] = counts.get(v.code, 0) + 1
    summary = {
        "reference_date": reference.isoformat(),
        "rows": len(verdicts),
        "kept": sum(v.kept for v in verdicts),
        "problems": len(problems),
        "by_code": counts,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    console.print(
        f"{summary['kept']} candidates of {summary['rows']} on {reference:%d-%m-%Y}; "
        f"problems {len(problems)} -> {out}/"
    )
