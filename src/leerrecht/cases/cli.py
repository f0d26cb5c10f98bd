"""`leerrecht digest`: e-mail each opted-in user what is due today (issue 4.6);
`leerrecht deadlines-refresh`: recompute the stored deadlines of open cases."""

from __future__ import annotations

import datetime as dt

import typer

from leerrecht.cli.errors import fail


def digest(
    date: str = typer.Option("", "--date", help="Reference date YYYY-MM-DD (default: today)."),
) -> None:
    """Send the daily digest e-mail to users who opted in (Django e-mail backend)."""
    from leerrecht.cli.django_setup import django_setup

    django_setup()
    from leerrecht.cases.jobs import digest_send

    try:
        today = dt.date.fromisoformat(date) if date else None
    except ValueError:
        fail(f"--date {date!r}: not a date (YYYY-MM-DD)")
    sent = digest_send(today=today)
    typer.echo(f"digest: {sent} e-mail(s) sent")


def deadlines_refresh(
    missing: bool = typer.Option(
        False, "--missing", help="Only cases whose deadlines were never computed."
    ),
) -> None:
    """Recompute the worklist's deadlines of every open case (run nightly, e.g. next to
    the digest: a pupil who moved gets the new municipality's ladder)."""
    from leerrecht.cli.django_setup import django_setup

    django_setup()
    from rich.progress import Progress

    from leerrecht.cases.services import cases_deadlines_refresh

    with Progress(transient=True) as bar:
        task = bar.add_task("Termijnen van open casussen", total=None)
        n = cases_deadlines_refresh(
            only_missing=missing,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    typer.echo(f"termijnen bijgewerkt van {n} open casus(sen)")
