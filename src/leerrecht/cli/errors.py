"""One way to tell a user that their input is wrong: a one-line message, no traceback."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

err_console = Console(stderr=True, highlight=False)


class UserError(Exception):
    """Raised for problems the user can fix (bad input, bad setting). Shown as one line."""


def fail(message: str, *, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)
