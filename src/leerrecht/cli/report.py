"""`leerrecht report thuiszitters|kpi|telling|inspectie`: the figures pages as files, for
scheduled use. Writes the same CSV/XLSX/PDF as the download links of /cijfers/.

Without --as-user the reports are aggregate (no persons, counts under 5 shown as <5).
With --as-user USERNAME they are built within that user's scope and audited like a view.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from leerrecht.cli.django_setup import django_setup
from leerrecht.cli.errors import err_console, fail

app = typer.Typer(help="Figures as CSV, XLSX and PDF files.", no_args_is_help=True)

FormatOpt = typer.Option("csv,xlsx,pdf", "--format", help="Comma-separated: csv, xlsx, pdf.")
OutOpt = typer.Option(Path("."), "--out", help="Directory to write the files to.")
SourceOpt = typer.Option(None, "--source", help="CSV to import instead of the shipped one.")
AsUserOpt = typer.Option(None, "--as-user", help="Build within this user's scope (personal lists).")


def _date(text: str | None) -> dt.date:
    if not text:
        from django.utils import timezone

        return timezone.localdate()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    fail(f"--date: {text!r} is not a date (use YYYY-MM-DD)")


def _formats(text: str) -> list[str]:
    from leerrecht.monitoring.exports import FORMATS

    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        fail(f"--format: unknown {', '.join(bad) or '(empty)'} (known: {', '.join(FORMATS)})")
    return formats


def _user(username: str | None):
    if not username:
        return None
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.select_related("organisation").get(username=username)
    except get_user_model().DoesNotExist:
        fail(f"--as-user: no user {username!r}")


def _scope(token: str):
    from leerrecht.monitoring import selectors

    try:
        return selectors.scope_parse(token)
    except ValueError as exc:
        fail(f"--scope: {exc} (use gemeente:<id>, rmc:<id>, swv:<id> or school:<id>)")


def _write(built, *, stem: str, formats: list[str], out: Path, user, object_type: str) -> None:
    from leerrecht.monitoring.exports import filename, render

    out.mkdir(parents=True, exist_ok=True)
    if user is not None:
        from leerrecht.privacy.models import AuditEvent
        from leerrecht.privacy.services import audit_record

        audit_record(
            actor=user,
            action=AuditEvent.Action.EXPORT,
            activity="monitoring",
            object_type=object_type,
            detail=f"{built.report.title}; cli; {','.join(formats)}",
        )
    for fmt in formats:
        path = out / filename(stem, fmt)
        path.write_bytes(render(built.report, fmt))
        typer.echo(str(path))


@app.command("thuiszitters")
def thuiszitters(
    date: str = typer.Option(None, "--date", help="Reference date (default today)."),
    scope: str = typer.Option("", "--scope", help="gemeente:<id>, rmc:<id>, swv:<id>, school:<id>"),
    fmt: str = FormatOpt,
    out: Path = OutOpt,
    as_user: str = AsUserOpt,
) -> None:
    """Thuiszitters at a date under the four definitions side by side."""
    django_setup()
    from leerrecht.monitoring import reports
    from leerrecht.privacy.query import user_sees_children

    user = _user(as_user)
    built = reports.build_thuiszitters(
        user=user,
        on=_date(date),
        scope=_scope(scope),
        aggregate=not user_sees_children(user),
    )
    _write(
        built,
        stem="thuiszitters",
        formats=_formats(fmt),
        out=out,
        user=user if user_sees_children(user) else None,
        object_type="monitoring.thuiszitters",
    )


@app.command("kpi")
def kpi(
    date: str = typer.Option(None, "--date", help="Reference date (default today)."),
    scope: str = typer.Option("", "--scope"),
    quarters: int = typer.Option(4, "--quarters", min=1, max=20),
    fmt: str = FormatOpt,
    out: Path = OutOpt,
    as_user: str = AsUserOpt,
) -> None:
    """Quarterly KPI dashboard (casus 2 goals): achieved vs target, trend, missed cases."""
    django_setup()
    from leerrecht.monitoring import reports
    from leerrecht.privacy.query import user_sees_children

    user = _user(as_user)
    built = reports.build_kpi(
        user=user,
        scope=_scope(scope),
        as_of=_date(date),
        quarters=quarters,
        aggregate=not user_sees_children(user),
    )
    _write(
        built,
        stem="kwartaaldoelen",
        formats=_formats(fmt),
        out=out,
        user=user if user_sees_children(user) else None,
        object_type="monitoring.kpi",
    )


@app.command("telling")
def telling(
    import_bijlage6: bool = typer.Option(
        False,
        "--import-bijlage6",
        help="First import the DUO counts per RMC region (Impuls thuiszittersaanpak, Bijlage 6).",
    ),
    source: Path = SourceOpt,
    year: str = typer.Option(
        None,
        "--year",
        help="School year of the region's own count, e.g. 2025-26 (default: the last one).",
    ),
    national: bool = typer.Option(
        False,
        "--national",
        help="Write the national reference (DUO counts per RMC region) instead.",
    ),
    fmt: str = FormatOpt,
    out: Path = OutOpt,
) -> None:
    """The region's own yearly count (this year and the year before), or with --national
    the national DUO reference per RMC region (docs/adr/0116)."""
    django_setup()
    from leerrecht.monitoring import reports
    from leerrecht.monitoring.figures.periods import SchoolYear
    from leerrecht.monitoring.services import ImportProblem, bijlage6_import

    formats = _formats(fmt)
    school_year = None
    if year:
        try:
            school_year = SchoolYear.parse(year)
        except ValueError as exc:
            fail(f"--year: {exc}")
    if import_bijlage6 or source:
        try:
            result = bijlage6_import(path=source)
        except ImportProblem as exc:
            fail(str(exc))
        err_console.print(
            f"imported {result.counts} counts for {result.regions} RMC regions"
            + (
                f" ({len(result.created_regions)} regions created)"
                if result.created_regions
                else ""
            )
        )
        for region, column, printed, computed in result.mismatches:
            err_console.print(
                f"warning: {region}, {column}: printed {printed}%, counts give {computed}%"
            )
    if national:
        built = reports.build_telling_national(user=None, aggregate=True)
    else:
        built = reports.build_telling(user=None, year=school_year, aggregate=True)
    _write(
        built,
        stem="jaartelling-landelijk" if national else "jaartelling",
        formats=formats,
        out=out,
        user=None,
        object_type="monitoring.telling",
    )


@app.command("inspectie")
def inspectie(
    swv: str = typer.Option(..., "--swv", help="Name or id of the samenwerkingsverband."),
    as_user: str = typer.Option(..., "--as-user", help="User whose scope the form is built in."),
    date: str = typer.Option(None, "--date"),
    fmt: str = FormatOpt,
    out: Path = OutOpt,
) -> None:
    """The SWV's quarterly anonymised thuiszitters form for the Inspectie."""
    django_setup()
    from leerrecht.monitoring import reports
    from leerrecht.privacy.query import user_sees_children
    from leerrecht.registry.models import Organisation, OrganisationKind

    user = _user(as_user)
    if not user_sees_children(user):
        fail(f"--as-user: {as_user!r} has no role that sees children (policy users get aggregates)")
    swvs = Organisation.objects.filter(kind=OrganisationKind.SWV)
    found = swvs.filter(pk=int(swv)) if swv.isdigit() else swvs.filter(name=swv)
    if not found.exists():
        fail(f"--swv: no samenwerkingsverband {swv!r}")
    organisation = found.get()
    built = reports.build_inspectie(user=user, swv=organisation, on=_date(date))
    _write(
        built,
        stem=f"inspectie-{organisation.name}",
        formats=_formats(fmt),
        out=out,
        user=user,
        object_type="monitoring.inspectie",
    )
