"""`leerrecht demo` (generate + load the synthetic demo region) and `leerrecht demo-otp`."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from leerrecht.cli.errors import fail

_STAGES = {
    "students": "Leerlingen en aanwezigheid genereren",
    "files": "Bestanden afronden",
    "region": "Regio laden",
    "enrolments": "Inschrijvingen laden",
    "register": "BRP-uittreksel laden",
    "accounts": "Demo-accounts aanmaken",
    "signals": "Signalen berekenen uit de aanwezigheid",
}


@contextmanager
def _progress():
    err = Console(stderr=True, highlight=False)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int) -> None:
            key = "load-students" if stage == "students" and "region" in tasks else stage
            if key not in tasks:
                tasks[key] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[key], completed=done, total=total)

        yield report


def _default_out_dir() -> Path:
    """settings.DATA_DIR/demo, computed without Django (same rule as config/settings.py)."""
    return Path(os.environ.get("LEERRECHT_DATA_DIR", Path.cwd() / "var")).resolve() / "demo"


def _generate(*, students, seed, out, reference_date, without_enrolment, report):
    from leerrecht.demo import DemoError, demo_generate

    try:
        return demo_generate(
            students=students,
            seed=seed,
            out_dir=out,
            reference_date=reference_date,
            without_enrolment=without_enrolment,
            progress=report,
        )
    except DemoError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the demo files in {out}: {exc.strerror or exc}")


def _load(out: Path, report):
    from django.db import DatabaseError, OperationalError, ProgrammingError

    from leerrecht.demo import DemoError
    from leerrecht.registry.services.demo import demo_load

    try:
        return demo_load(manifest_dir=out, progress=report)
    except DemoError as exc:
        fail(str(exc))
    except (OperationalError, ProgrammingError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        fail(f"the database is not ready ({first_line}); run `leerrecht setup` first")
    except DatabaseError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        fail(f"loading the demo region failed, nothing was changed: {first_line}")


def _print_summary(manifest, result) -> None:
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=160)  # piped into a log: don't squeeze the table
    counts = manifest.counts
    out.print(f"Demoregio geschreven naar [bold]{manifest.out_dir}[/]")
    out.print(
        f"{counts['enrolled_students']} ingeschreven leerlingen, "
        f"{counts['without_enrolment']} kinderen zonder inschrijving, "
        f"{counts['schools']} scholen, {counts['school_days']} schooldagen, "
        f"{counts['attendance_rows']} aanwezigheidsregels (t/m {manifest.reference_date:%d-%m-%Y})"
    )
    out.print(f"Vingerafdruk: {manifest.fingerprint}")
    if result is None:
        return
    out.print(f"De demoregio staat in het register; aanwezigheid: {result.attendance_path}")
    table = Table(title="Demo-accounts")
    table.add_column("gebruikersnaam", no_wrap=True)
    table.add_column("rol", overflow="fold")
    table.add_column("organisatie", overflow="fold")
    table.add_column("wachtwoord", no_wrap=True)
    table.add_column("TOTP-geheim", no_wrap=True)
    for account in result.accounts:
        table.add_row(
            account.username,
            account.role,
            account.organisation,
            result.password,
            account.totp_secret,
        )
    out.print(table)
    out.print(
        "De actuele 6-cijferige code van een account: [bold]leerrecht demo-otp GEBRUIKERSNAAM[/]"
    )


def demo(
    students: int = typer.Option(20_000, "--students", help="Number of enrolled students."),
    seed: int = typer.Option(1, "--seed", help="Random seed (same seed, same files)."),
    out: Path | None = typer.Option(  # noqa: B008 - Typer idiom
        None, "--out", help="Output directory (default: LEERRECHT_DATA_DIR/demo)."
    ),
    load: bool = typer.Option(
        True, "--load/--no-load", help="Load into the database (--no-load: only write files)."
    ),
    reference_date: str | None = typer.Option(
        None, "--reference-date", help="Last day of attendance, YYYY-MM-DD (default 2026-11-20)."
    ),
    without_enrolment: int | None = typer.Option(
        None,
        "--without-enrolment",
        help="Children in the population register without enrolment (default 0.5%).",
    ),
    cases: int = typer.Option(
        0,
        "--cases",
        min=0,
        help="Also compute the demo signals and open this many cases (a region's caseload, "
        "e.g. --students 200000 --cases 20000); 0: only the region.",
    ),
) -> None:
    """Generate the synthetic demo region (Haaglanden) and load it with demo accounts."""
    if cases and not load:
        fail("--cases needs --load (cases are opened in the database)")
    ref = None
    if reference_date is not None:
        try:
            ref = date.fromisoformat(reference_date)
        except ValueError:
            fail(f"--reference-date {reference_date!r} is not a date like 2026-11-20")
    if load:
        from leerrecht.cli.django_setup import django_setup

        django_setup()  # fail fast on bad settings, before generating anything
        if out is None:
            from django.conf import settings

            out = Path(settings.DATA_DIR) / "demo"
    out = out or _default_out_dir()
    with _progress() as report:
        manifest = _generate(
            students=students,
            seed=seed,
            out=out,
            reference_date=ref,
            without_enrolment=without_enrolment,
            report=report,
        )
        result = _load(out, report) if load else None
        if cases:
            _demo_activity_seed(
                out=out, reference_date=manifest.reference_date, report=report, cases=cases
            )
    if result is not None and result.skipped:
        Console(stderr=True, highlight=False).print(
            "Deze demoregio was al geladen; er is niets veranderd."
        )
    _print_summary(manifest, result)


def demo_setup(*, students: int, seed: int) -> None:
    """Used by `leerrecht setup --demo` (Django is already set up)."""
    from django.conf import settings

    out = Path(settings.DATA_DIR) / "demo"
    with _progress() as report:
        manifest = _generate(
            students=students,
            seed=seed,
            out=out,
            reference_date=None,
            without_enrolment=None,
            report=report,
        )
        result = _load(out, report)
        _demo_activity_seed(out=out, reference_date=manifest.reference_date, report=report)
    _print_summary(manifest, result)


def _demo_activity_seed(*, out: Path, reference_date, report, cases: int | None = None) -> None:
    """Signals from the demo attendance and ``cases`` cases (default: the demo office's
    caseload, leerrecht.cases.demo.DEFAULT_CASES); both idempotent."""
    from leerrecht.attendance.services import AttendanceImportError, attendance_demo_import
    from leerrecht.cases.demo import DEFAULT_CASES, cases_demo_seed

    cases = cases or DEFAULT_CASES

    try:
        attendance_demo_import(
            data_dir=out, progress=lambda done, total, _label: report("signals", done, total)
        )
    except AttendanceImportError as exc:
        fail(str(exc))
    cases_demo_seed(reference_date=reference_date, cases=cases)


def demo_otp(username: str = typer.Argument(..., help="A demo account, e.g. leerplicht.")) -> None:
    """Print the current 6-digit TOTP code of a demo account (never for real accounts)."""
    from leerrecht.cli.django_setup import django_setup

    django_setup()
    from django.db import DatabaseError
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from leerrecht.registry.services.demo import demo_account_is_demo

    try:
        if not demo_account_is_demo(username):
            fail(f"{username!r} is not a demo account; demo-otp only works for demo accounts")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    except DatabaseError:
        fail("the database is not ready; run `leerrecht setup` first")
    if device is None:
        fail(f"{username!r} has no confirmed authenticator; run `leerrecht demo` again")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    Console(highlight=False).print(f"{totp.token():0{device.digits}d}")
