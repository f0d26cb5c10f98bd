"""`leerrecht absences-to-daily` and `leerrecht import-absences`: absence registrations of a
school administration system (Magister, SOMtoday, EduArte layouts) as canonical daily rows.

`absences-to-daily` only converts (engine, no database): a school checks what the import
would store. `import-absences` converts and imports through the one attendance import.
Bad input: exit 2, one line per problem (file, line, column); nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from leerrecht.cli.django_setup import django_setup
from leerrecht.cli.errors import err_console, fail
from leerrecht.cli.import_attendance import (
    _organisation,
    _user,
    import_print,
    import_with_progress,
)

FileArg = Annotated[
    Path,
    typer.Argument(
        help="Absence registrations: a Magister export, SOMtoday absentiemeldingen (JSON or "
        "CSV) or an EduArte CSV; CSV or XLSX (docs/attendance.md).",
        show_default=False,
    ),
]
CodesOpt = Annotated[
    Path,
    typer.Option("--codes", help="The school's code table: CSV code;omschrijving;categorie."),
]
TimetableOpt = Annotated[
    Path | None,
    typer.Option("--timetable", help="Timetable TOML (lesson hours); default per sector."),
]
CalendarOpt = Annotated[
    Path | None,
    typer.Option("--calendar", help="School calendar CSV (column date): holidays are skipped."),
]


def _exists(*paths: Path | None) -> None:
    for path in paths:
        if path is not None and not path.is_file():
            fail(f"{path}: file not found")


def absences_to_daily(
    file: FileArg,
    codes: CodesOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="Daily rows CSV to write.")],
    timetable: TimetableOpt = None,
    calendar: CalendarOpt = None,
    sector: Annotated[
        str, typer.Option("--sector", help="po or vo: the default timetable without --timetable.")
    ] = "vo",
) -> None:
    """Convert absence registrations to the canonical daily rows (SIGNALS.md), sorted by
    pupil and date; `leerrecht signals` reads the result unchanged."""
    from leerrecht.engine.absences import (
        absences_to_daily as convert,
    )
    from leerrecht.engine.absences import (
        code_table_read,
        timetable_default,
        timetable_read,
    )
    from leerrecht.engine.errors import AttendanceValidationError, EngineInputError

    _exists(file, codes, timetable, calendar)
    try:
        table = code_table_read(codes)
        schedule = timetable_read(timetable) if timetable else timetable_default(sector)
        result = convert(file, codes=table, timetable=schedule, calendar=calendar)
    except AttendanceValidationError as exc:
        for problem in exc.problems:
            err_console.print(str(problem), soft_wrap=True, markup=False)
        fail(f"{exc.total} problem(s); nothing written")
    except EngineInputError as exc:
        fail(str(exc))
    result.write_csv(output)
    console = Console(stderr=True, highlight=False)
    console.print(
        f"{result.layout}: {result.registrations} registrations, {result.students} pupils "
        f"-> {result.table.num_rows} daily rows in {output}"
    )
    for note in result.notes:
        console.print(f"note: {note}")


def import_absences(
    file: FileArg,
    codes: CodesOpt,
    timetable: TimetableOpt = None,
    calendar: CalendarOpt = None,
    protocol: Annotated[
        str | None,
        typer.Option("--protocol", help="Protocol preset (default: LEERRECHT_PROTOCOL)."),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", help="The school (name or BRIN); its sector and scope."),
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option("--as-user", help="Import as this user (their scope)."),
    ] = None,
) -> None:
    """Import absence registrations: convert to daily rows, compute signals, store them."""
    _exists(file, codes, timetable, calendar)
    django_setup()
    from leerrecht.attendance.absences import absence_code_table_upload, absence_import_create

    user = _user(as_user) if as_user else None
    org = _organisation(organisation) if organisation else None
    if user is not None and org is not None and user.organisation_id != org.pk:
        fail(f"--as-user {as_user!r} belongs to {user.organisation}, not to {org}")

    def create(progress):
        table = absence_code_table_upload(codes, name=codes.name)
        imp, daily = absence_import_create(
            user=user,
            file=file,
            original_name=file.name,
            codes=table,
            timetable=timetable,
            calendar=calendar,
            calendar_name=calendar.name if calendar else "",
            organisation=org,
            protocol=protocol,
            run_inline=True,
            progress=progress,
        )
        err_console.print(
            f"{daily.layout}: {daily.registrations} registraties, {daily.students} leerlingen",
            markup=False,
        )
        return imp

    import_print(import_with_progress(create))
