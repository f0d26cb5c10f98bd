"""`leerrecht import-attendance FILE`: the command-line twin of the attendance upload page.

Validates the file, stores it, computes the region's protocol preset in this process with
a progress bar and prints what was stored. Exit code 2 on bad input (every problem is
printed as one line: file, line, column, message) - nothing is stored then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from leerrecht.cli.django_setup import django_setup
from leerrecht.cli.errors import err_console, fail


def _user(username: str):
    from leerrecht.accounts.models import User

    user = User.objects.select_related("organisation").filter(username=username).first()
    if user is None:
        fail(f"--as-user: no user named {username!r}")
    if not user.is_active:
        fail(f"--as-user: user {username!r} is not active")
    return user


def _organisation(text: str):
    from django.db.models import Q

    from leerrecht.registry.models import Organisation

    matches = list(Organisation.objects.filter(Q(brin__iexact=text) | Q(name__iexact=text))[:2])
    if not matches:
        fail(f"--organisation: no organisation with name or BRIN {text!r}")
    if len(matches) > 1:
        fail(f"--organisation: {text!r} matches more than one organisation; use the BRIN")
    return matches[0]


def import_attendance(
    file: Annotated[
        Path,
        typer.Argument(
            help="Attendance file (.csv or .parquet; SIGNALS.md 'Input').", show_default=False
        ),
    ],
    calendar: Annotated[
        Path | None,
        typer.Option("--calendar", help="School calendar CSV (column date) for sparse files."),
    ] = None,
    protocol: Annotated[
        str | None,
        typer.Option("--protocol", help="Protocol preset (default: LEERRECHT_PROTOCOL)."),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation", help="Record the import for this organisation (name or BRIN)."
        ),
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as-user",
            help="Import as this user (their scope). Without it: a system import for all "
            "students known in the registry.",
        ),
    ] = None,
) -> None:
    """Import an attendance file: validate, compute the protocol's signals, store them."""
    if not file.is_file():
        fail(f"{file}: file not found")
    if calendar is not None and not calendar.is_file():
        fail(f"{calendar}: file not found")
    django_setup()
    from leerrecht.attendance.services import attendance_import_create

    user = _user(as_user) if as_user else None
    org = _organisation(organisation) if organisation else None
    if user is not None and org is not None and user.organisation_id != org.pk:
        fail(f"--as-user {as_user!r} belongs to {user.organisation}, not to {org}")

    def create(progress):
        return attendance_import_create(
            user=user,
            file=file,
            original_name=file.name,
            calendar=calendar,
            calendar_name=calendar.name if calendar else "",
            protocol=protocol,
            organisation=org,
            run_inline=True,
            progress=progress,
        )

    import_print(import_with_progress(create))


def import_with_progress(create):
    """Run `create(progress)` (an import service) with a progress bar; bad input -> exit 2
    with one line per problem."""
    from django.db import DatabaseError

    from leerrecht.attendance.services import AttendanceFileInvalid, AttendanceImportError

    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        ) as bar:
            task = bar.add_task("Controleren en opslaan", total=None)

            def report(done: int, total: int, label: str = "") -> None:
                bar.update(task, completed=done, total=total, description=label or "Bezig")

            return create(report)
    except AttendanceFileInvalid as exc:
        for line in exc.lines():
            err_console.print(line, soft_wrap=True, markup=False)
        fail(str(exc))
    except AttendanceImportError as exc:
        fail(str(exc))
    except DatabaseError as exc:
        fail(f"database: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")


def import_print(imp) -> None:
    """What an import stored, as a table on stdout."""
    console = Console(highlight=False)
    result = imp.result or {}
    table = Table(show_header=False, box=None)
    table.add_row("Import", f"#{imp.pk} {imp.original_name} ({imp.get_status_display()})")
    if imp.reused:
        table.add_row("Hergebruikt", "dit bestand is al eerder ingelezen; er is niets veranderd")
    table.add_row("Protocol", imp.protocol)
    table.add_row("Regels", str(imp.row_count))
    table.add_row("Leerlingen in bestand", str(imp.student_count))
    if imp.first_date:
        table.add_row("Periode", f"{imp.first_date:%d-%m-%Y} – {imp.last_date:%d-%m-%Y}")
    table.add_row("Leerlingen gekoppeld", str(result.get("students_matched", 0)))
    table.add_row("Signalen nieuw opgeslagen", str(result.get("signals_new", 0)))
    table.add_row("Signalen al aanwezig", str(result.get("signals_existing", 0)))
    unknown = result.get("unknown_students", 0)
    sample = ", ".join(result.get("unknown_sample", []))
    table.add_row("Onbekende leerlingen", f"{unknown}" + (f" (o.a. {sample})" if unknown else ""))
    table.add_row("Buiten werkgebied", str(result.get("out_of_scope_students", 0)))
    console.print(table)
