"""Entry point of the `leerrecht` command.

Every sub-command lives in its own module next to this one and is registered here.
Commands that need the database call `django_setup()` first; the analytics commands
(`signals`) do not touch Django at all.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="leerrecht",
    help="Leerrecht: signals, cases and figures for the broad approach to thuiszitters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
