"""Entry point of the `leerrecht` command.

Every sub-command lives in its own module and is registered here. Commands that need the
database call `django_setup()` themselves; the analytics commands (`signals`) do not touch
Django at all.
"""

from __future__ import annotations

import typer

from leerrecht.cases import cli as cases_cli
from leerrecht.cli import (
    absences,
    api_tokens,
    deadlines,
    demo,
    import_attendance,
    protocol,
    purge,
    reconcile,
    report,
    screenshots,
    server,
    signals,
)

app = typer.Typer(
    name="leerrecht",
    help="Leerrecht: signals, cases and figures for the broad approach to thuiszitters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Running the product.
app.command("setup")(server.setup)
app.command("serve")(server.serve)
app.command("worker")(server.worker)
app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    server.manage
)
# Synthetic demo region (issue 2).
app.command("demo")(demo.demo)
app.command("demo-otp")(demo.demo_otp)
# Analytics engine, no Django (issue 3), and attendance import into the product.
app.command("signals")(signals.signals)
app.command("import-attendance")(import_attendance.import_attendance)
# Absence registrations of a school administration system (issue 17).
app.command("absences-to-daily")(absences.absences_to_daily)
app.command("import-absences")(absences.import_absences)
# Deadline preview of a protocol preset, no Django (issue 12).
app.command("deadlines")(deadlines.deadlines)
# Protocol versions: diff and simulation against attendance (issue 19).
app.add_typer(protocol.app, name="protocol")
# Daily digest e-mail of what is due in cases (issue 4.6).
app.command("digest")(cases_cli.digest)
app.command("deadlines-refresh")(cases_cli.deadlines_refresh)
# Retention: closed cases, students, audit log past their retention period (issue 5).
app.command("purge")(purge.purge)
# Figures as files: thuiszitters, kpi, telling, inspectie (issue 6).
app.add_typer(report.app, name="report")
# List reconciliation and absolute verzuim (issue 7).
app.command("reconcile")(reconcile.reconcile)
app.command("absolute-verzuim")(reconcile.absolute_verzuim)
# REST API: token management and the OpenAPI document (issue 8).
app.add_typer(api_tokens.app, name="api-token")
app.command("api-schema")(api_tokens.api_schema)
app.command("api-docs")(api_tokens.api_docs)
# Screenshots of the main pages of a running demo server (issue 9).
app.command("screenshots")(screenshots.screenshots)
