"""Benchmark of the absence-registrations import (issue 17; not a test). See docs/performance.md.

    .venv/bin/python benchmarks/absences.py --pupils 1500 --registrations 300000

Generates a Magister-style registrations file of a secondary school for a school year
(2026-08-24 .. 2027-07-09 with the holidays of region midden; lesson-hour registrations,
time spans, whole days, multi-day sick spells, late arrivals, overlaps), then times, each in
its own subprocess (wall time and peak RSS of its own):

- baseline: reading the file (pyarrow CSV, all columns as text) - the floor any converter pays;
- convert: ``absences_to_daily`` (read, check, count, dense daily rows) and writing the CSV;
- import: the whole product import (``absence_import_create``: convert, validate the daily
  rows, store, compute the region's signals) into a fresh SQLite database with the pupils in
  the registry (setup not timed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOLIDAYS = [  # school year 2026-2027, region midden (approximate; the benchmark needs a calendar)
    (dt.date(2026, 10, 17), dt.date(2026, 10, 25)),
    (dt.date(2026, 12, 19), dt.date(2027, 1, 3)),
    (dt.date(2027, 2, 13), dt.date(2027, 2, 21)),
    (dt.date(2027, 4, 24), dt.date(2027, 5, 5)),
    (dt.date(2027, 5, 13), dt.date(2027, 5, 14)),
]
FIRST, LAST = dt.date(2026, 8, 24), dt.date(2027, 7, 9)
LESSONS = [
    ("08:30", "09:20"),
    ("09:20", "10:10"),
    ("10:25", "11:15"),
    ("11:15", "12:05"),
    ("12:35", "13:25"),
    ("13:25", "14:15"),
    ("14:30", "15:20"),
    ("15:20", "16:10"),
]
CODES = "code;omschrijving;categorie\nA;Afwezig;ongeoorloofd\nZ;Ziek;ziek\nZH;Ziek naar huis;uitgestuurd-ziek\nL;Verlof;geoorloofd\nT;Te laat;te laat\nV;Vrijstelling;vrijstelling\nM;Excursie;niet meetellen\n"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def school_days() -> list[dt.date]:
    days, d = [], FIRST
    while d <= LAST:
        if d.weekday() < 5 and not any(a <= d <= b for a, b in HOLIDAYS):
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def generate(directory: Path, pupils: int, registrations: int, seed: int = 7) -> dict[str, Path]:
    rng = random.Random(seed)
    days = school_days()
    events = directory / f"registraties-{pupils}-{registrations}.csv"
    calendar = directory / "kalender.csv"
    codes = directory / "codes.csv"
    calendar.write_text("date\n" + "".join(f"{d}\n" for d in days), "utf-8")
    codes.write_text(CODES, "utf-8")
    if events.exists():
        return {"events": events, "calendar": calendar, "codes": codes}
    with events.open("w", encoding="utf-8") as out:
        out.write("stamnummer;begin;einde;lesuur;code;omschrijving;geoorloofd;verantwoordingtype\n")
        for _ in range(registrations):
            pupil = f"{rng.randrange(pupils) + 100000}"
            day = rng.choice(days)
            kind = rng.random()
            if kind < 0.60:  # one lesson hour
                n = rng.randrange(8)
                code = rng.choice("AAAZLTVM")
                begin, end = LESSONS[n]
                out.write(f"{pupil};{day} {begin};{day} {end};{n + 1};{code};;;1\n")
            elif kind < 0.85:  # a time span within the day
                a = rng.randrange(8)
                b = min(7, a + rng.randrange(4))
                code = rng.choice(["A", "Z", "Z", "L", "ZH"])
                out.write(f"{pupil};{day} {LESSONS[a][0]};{day} {LESSONS[b][1]};;{code};;;1\n")
            elif kind < 0.97:  # a whole day
                out.write(f"{pupil};{day} 00:00;{day} 23:59;;{rng.choice('AZL')};;;1\n")
            else:  # sick for several days
                end = day + dt.timedelta(days=rng.randrange(1, 8))
                out.write(f"{pupil};{day};{end};;Z;;;3\n")
    return {"events": events, "calendar": calendar, "codes": codes}


# --- phases (each in a subprocess) -------------------------------------------------------


def phase_baseline(files: dict) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    start, cpu = time.perf_counter(), time.process_time()
    table = pacsv.read_csv(
        files["events"],
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(
            column_types={
                c: pa.string()
                for c in ("stamnummer", "begin", "einde", "lesuur", "code", "omschrijving")
            }
        ),
    )
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "rows": table.num_rows,
    }


def phase_convert(files: dict) -> dict:
    from leerrecht.engine.absences import absences_to_daily, code_table_read, timetable_default

    start, cpu = time.perf_counter(), time.process_time()
    result = absences_to_daily(
        files["events"],
        codes=code_table_read(files["codes"]),
        timetable=timetable_default("vo"),
        calendar=files["calendar"],
    )
    result.write_csv(Path(files["events"]).with_suffix(".daily.csv"))
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "registrations": result.registrations,
        "daily_rows": result.table.num_rows,
    }


def phase_import(files: dict) -> dict:
    data_dir = Path(files["events"]).parent / f"product-{os.getpid()}"
    os.environ["LEERRECHT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerrecht.config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from leerrecht.attendance.absences import absence_import_create
    from leerrecht.engine.absences import code_table_read
    from leerrecht.registry.tests.factories import (
        EnrolmentFactory,
        OrganisationFactory,
        StudentFactory,
    )

    school = OrganisationFactory(school=True, school_type="vo")
    pupils = {line.split(";", 1)[0] for line in Path(files["events"]).read_text().splitlines()[1:]}
    for source_id in sorted(pupils):
        EnrolmentFactory(
            school=school, student=StudentFactory(source_id=source_id, without_bsn=True)
        )
    start, cpu = time.perf_counter(), time.process_time()
    imp, _daily = absence_import_create(
        user=None,
        file=files["events"],
        original_name="registraties.csv",
        codes=code_table_read(files["codes"]),
        calendar=files["calendar"],
        calendar_name="kalender.csv",
        organisation=school,
        protocol="drechtsteden-vo",
        run_inline=True,
    )
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "status": imp.status,
        "daily_rows": imp.row_count,
        "signals": (imp.result or {}).get("signals_new"),
    }


PHASES = {"baseline": phase_baseline, "convert": phase_convert, "import": phase_import}


def run_phase(name: str, files: dict) -> dict:
    out = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            __file__,
            "--phase",
            name,
            "--files",
            json.dumps({k: str(v) for k, v in files.items()}),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--registrations", type=int, default=300_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = PHASES[args.phase](json.loads(args.files))
        result["peak_mb"] = round(_peak_mb(), 1)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="lr-absences-") as tmp:
        directory = args.data or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        files = generate(directory, args.pupils, args.registrations)
        print(
            f"{args.registrations} registrations of {args.pupils} pupils, {len(school_days())} school days"
        )
        base = run_phase("baseline", files)
        print(
            f"baseline read (pyarrow CSV, text): {base['seconds']:.2f} s wall, "
            f"{base['cpu']:.2f} s CPU, {base['peak_mb']} MB"
        )
        conv = run_phase("convert", files)
        print(
            f"convert to daily rows + write CSV: {conv['seconds']:.2f} s wall, "
            f"{conv['cpu']:.2f} s CPU, {conv['peak_mb']} MB, "
            f"{conv['daily_rows']} daily rows; ratio to baseline read: "
            f"{conv['seconds'] / base['seconds']:.1f}x wall, {conv['cpu'] / base['cpu']:.1f}x CPU"
        )
        if not args.skip_import:
            imp = run_phase("import", files)
            print(
                "whole product import (convert, validate, store, signals): "
                f"{imp['seconds']:.2f} s wall, {imp['cpu']:.2f} s CPU, "
                f"{imp['peak_mb']} MB, status {imp['status']}, {imp['daily_rows']} daily rows, "
                f"{imp['signals']} signals; ratio to baseline read: "
                f"{imp['seconds'] / base['seconds']:.1f}x wall, {imp['cpu'] / base['cpu']:.1f}x CPU"
            )


if __name__ == "__main__":
    main()
