"""`leerrecht digest`: e-mail each opted-in user what is due today (issue 4.6)."""

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
