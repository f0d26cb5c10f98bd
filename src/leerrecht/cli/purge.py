"""`leerrecht purge`: remove what has passed its retention period (issue 5, point 5)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.table import Table

from leerrecht.cli.django_setup import django_setup
from leerrecht.cli.errors import fail


def purge(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only list what would be removed; change nothing."
    ),
    now: str = typer.Option(
        "", "--now", help="Act as if today is this date (YYYY-MM-DD); default: today."
    ),
) -> None:
    """Delete closed cases, students, audit entries and sign-in records past retention."""
    today = None
    if now:
        try:
            today = dt.date.fromisoformat(now.strip())
        except ValueError:
            fail(f"--now: {now!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-23")
    django_setup()
    from leerrecht.privacy.retention import retention_purge

    plan = retention_purge(today=today, dry_run=dry_run)
    console = Console(highlight=False)
    title = (
        f"{'Zou worden verwijderd' if dry_run else 'Verwijderd'} op {plan.today:%d-%m-%Y} "
        f"(casussen gesloten voor {plan.case_cutoff:%d-%m-%Y}, auditlog voor "
        f"{plan.audit_cutoff:%d-%m-%Y})"
    )
    table = Table(title=title)
    for column in ("Soort", "Id", "Omschrijving", "Reden"):
        table.add_column(column)
    for item in plan.items:
        table.add_row(item.kind, item.ident, item.description, item.reason)
    if plan.items:
        console.print(table)
    else:
        console.print(f"{title}: niets.")
    for note in plan.notes:
        console.print(f"[yellow]let op:[/] {note}")
    summary = (
        f"casussen: {plan.count('casus')}, leerlingen: {plan.count('leerling')}, "
        f"auditregels: {plan.audit_count}, inlogpogingen: {plan.login_failure_count}, "
        f"sessies: {plan.session_count}"
    )
    console.print(("dry-run, niets gewijzigd — " if dry_run else "") + summary)
