"""`leerrecht reconcile A B` and `leerrecht absolute-verzuim REGISTER` (issue 7).

`reconcile` needs no database: it reads two CSV/XLSX lists, maps their columns from the
headers (override with --map-a/--map-b field=Header), and writes the result files.
`absolute-verzuim` reads enrolments and exemptions from the database, or from CSV files
given with --enrolments/--exemptions (then no database is used).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from leerrecht.cli.errors import fail

console = Console(highlight=False)


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


def _load(path: Path, kind: str, overrides: list[str]) -> list[dict]:
    from leerrecht.reconciliation.matching.listio import ListError, rows_validate, table_read

    if not path.is_file():
        fail(f"{path}: no such file")
    try:
        table = table_read(path.read_bytes(), path.name)
    except ListError as exc:
        fail(str(exc))
    result = rows_validate(table, _mapping(table, kind, overrides), kind)
    if result.errors:
        shown = "; ".join(str(e) for e in result.errors[:5])
        more = f" (and {len(result.errors) - 5} more)" if len(result.errors) > 5 else ""
        fail(f"{path.name}: {len(result.errors)} bad rows, nothing read: {shown}{more}")
    return result.records


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


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
    preset: Annotated[
        str, typer.Option("--preset", help="Protocol preset whose [reconciliation] applies.")
    ] = "",
) -> None:
    """Match two lists of children and write matched / review / conflicts / only-A / only-B files."""
    from leerrecht.reconciliation.matching import Person, config_load, link
    from leerrecht.reconciliation.matching.config import ConfigError

    try:
        cfg = config_load(preset or None)
    except ConfigError as exc:
        fail(str(exc))
    recs = {"a": _load(list_a, "list", map_a or []), "b": _load(list_b, "list", map_b or [])}
    people = {
        side: [
            Person(
                ref=str(r["line"]),
                given_names=r.get("given_names", ""),
                tussenvoegsel=r.get("tussenvoegsel", ""),
                surname=r.get("surname", ""),
                date_of_birth=r.get("date_of_birth"),
                bsn=r.get("bsn", ""),
                education_number=r.get("education_number", ""),
                status=r.get("status", ""),
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
    summary = result.summary() | {
        "list_a": str(list_a),
        "list_b": str(list_b),
        "config": cfg.source,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    console.print(
        f"matched {summary['matched']} (conflicting status {summary['conflicts']}), review {summary['review']}, "
        f"only in A {summary['only_a']}, only in B {summary['only_b']}; coverage A {summary['coverage_a']}%, "
        f"B {summary['coverage_b']}% -> {out}/"
    )


def _spans(path: Path | None, *, exemption: bool):
    from leerrecht.reconciliation.matching.absolute import Span
    from leerrecht.reconciliation.matching.listio import ListError, table_read
    from leerrecht.reconciliation.matching.normalise import fold, parse_date

    if path is None:
        return []
    try:
        table = table_read(path.read_bytes(), path.name)
    except (OSError, ListError) as exc:
        fail(f"{path}: {exc}")
    cols = {fold(h): i for i, h in enumerate(table.headers)}
    need = ["bsn", "start", "end"] + (["article"] if exemption else [])
    aliases = {
        "start": ("start", "vanaf", "begin", "ingeschreven vanaf"),
        "end": ("end", "tot", "einde", "uitgeschreven per", "tot en met"),
        "article": ("article", "artikel"),
        "bsn": ("bsn",),
    }
    idx = {}
    for f in need:
        found = next((cols[a] for a in aliases[f] if a in cols), None)
        if found is None:
            fail(f"{path.name}: missing column {f!r} (one of {', '.join(aliases[f])})")
        idx[f] = found
    spans = []
    for k, row in enumerate(table.rows, start=2):
        try:
            start = parse_date(row[idx["start"]])
            end = parse_date(row[idx["end"]]) if idx["end"] < len(row) else None
        except (ValueError, IndexError) as exc:
            fail(f"{path.name}: line {k}: {exc}")
        if start is None:
            fail(f"{path.name}: line {k}: start date is empty")
        spans.append(
            Span(
                row[idx["bsn"]].strip(),
                start,
                end,
                row[idx["article"]].strip() if exemption else "",
            )
        )
    return spans


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
    preset: Annotated[
        str, typer.Option("--preset", help="Protocol preset whose [reconciliation] applies.")
    ] = "",
) -> None:
    """Children of compulsory school age without a school, with the reason each was kept or dropped."""
    from leerrecht.reconciliation.matching import config_load
    from leerrecht.reconciliation.matching.absolute import RegisterPerson, Span, evaluate
    from leerrecht.reconciliation.matching.normalise import parse_date

    if map_register is None:
        map_register = []
    try:
        reference = parse_date(on) if on else dt.date.today()
    except ValueError as exc:
        fail(f"--on: {exc}")
    cfg = config_load(preset or None)
    rows = _load(register, "register", map_register or [])
    people = [
        RegisterPerson(
            bsn=r["bsn"],
            surname=r["surname"],
            given_names=r.get("given_names", ""),
            tussenvoegsel=r.get("tussenvoegsel", ""),
            date_of_birth=r["date_of_birth"],
            municipality=r["municipality"],
            address=r.get("address", ""),
            settled_on=r.get("settled_on"),
            departed_on=r.get("departed_on"),
            departure_reason=r.get("departure_reason", ""),
            starting_qualification=bool(r.get("starting_qualification")),
            line=r["line"],
        )
        for r in rows
    ]
    if enrolments is not None or exemptions is not None:
        enrol_spans = _spans(enrolments, exemption=False)
        exempt_spans = _spans(exemptions, exemption=True)
    else:
        from leerrecht.cli.django_setup import django_setup

        django_setup()
        from leerrecht.registry.models import Enrolment, Exemption

        bsns = {p.bsn for p in people}
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
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.code] = counts.get(v.code, 0) + 1
    summary = {
        "reference_date": reference.isoformat(),
        "rows": len(verdicts),
        "kept": sum(v.kept for v in verdicts),
        "by_code": counts,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    console.print(
        f"{summary['kept']} candidates of {summary['rows']} on {reference:%d-%m-%Y} -> {out}/"
    )
