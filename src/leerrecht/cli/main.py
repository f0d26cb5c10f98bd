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

# Sub-commands (one module each).
from leerrecht.cli import server as _server  # noqa: E402

app.command("setup")(_server.setup)
app.command("serve")(_server.serve)
app.command("worker")(_server.worker)
app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    _server.manage
)


# REST API: token management and the OpenAPI document (issue 8).
from leerrecht.cli import api_tokens as _api_tokens  # noqa: E402

app.add_typer(_api_tokens.app, name="api-token")
app.command("api-schema")(_api_tokens.api_schema)
app.command("api-docs")(_api_tokens.api_docs)


# Synthetic demo region (issue 2).
from leerrecht.cli import demo as _demo  # noqa: E402

app.command("demo")(_demo.demo)
app.command("demo-otp")(_demo.demo_otp)


# Figures as files: thuiszitters, kpi, telling, inspectie (issue 6).
from leerrecht.cli import report as _report  # noqa: E402

app.add_typer(_report.app, name="report")


# Attendance import: validate, compute the protocol's signals, store them (issue 3).
from leerrecht.cli import import_attendance as _import_attendance  # noqa: E402

app.command("import-attendance")(_import_attendance.import_attendance)

# --- analytics engine (no Django) ---
from leerrecht.cli import signals as _signals  # noqa: E402

app.command("signals")(_signals.signals)

# Daily digest e-mail of what is due in cases (issue 4.6).
from leerrecht.cases import cli as _cases_cli  # noqa: E402

app.command("digest")(_cases_cli.digest)

# Retention: closed cases, students, audit log past their retention period (issue 5).
from leerrecht.cli import purge as _purge  # noqa: E402

app.command("purge")(_purge.purge)

# List reconciliation and absolute verzuim (issue 7).
from leerrecht.cli import reconcile as _reconcile  # noqa: E402

app.command("reconcile")(_reconcile.reconcile)
app.command("absolute-verzuim")(_reconcile.absolute_verzuim)

# Screenshots of the main pages of a running demo server (issue 9).
from leerrecht.cli import screenshots as _screenshots  # noqa: E402

app.command("screenshots")(_screenshots.screenshots)
