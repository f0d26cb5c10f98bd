"""`leerrecht setup`, `serve`, `worker` and `manage`: run the product."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import typer
from rich.console import Console

from leerrecht.cli.django_setup import django_setup

console = Console(stderr=True, highlight=False)


def setup(
    demo: bool = typer.Option(False, "--demo", help="Generate and load the synthetic demo region."),
    students: int = typer.Option(20_000, help="Demo size (students)."),
    seed: int = typer.Option(1, help="Demo random seed."),
) -> None:
    """Prepare the database (migrate) and, with --demo, the demo region. Safe to repeat."""
    django_setup()
    from django.core.management import call_command

    console.print("[bold]Database[/]: applying migrations")
    call_command("migrate", interactive=False, verbosity=0)
    from leerrecht.cases.services import cases_deadlines_refresh

    # Cases from before the worklist stored their deadlines (docs/adr/0170).
    if refreshed := cases_deadlines_refresh(only_missing=True):
        console.print(f"[bold]Casussen[/]: termijnen berekend van {refreshed} open casussen")
    from leerrecht.monitoring.services import bijlage6_import

    # Public reference data: DUO counts per RMC region, seed 003 Bijlage 6 (idempotent).
    result = bijlage6_import()
    console.print(f"[bold]Reference data[/]: {result.regions} RMC regions, {result.counts} counts")
    if demo:
        from leerrecht.cli.demo import demo_setup

        demo_setup(students=students, seed=seed)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="Web worker processes."),
) -> None:
    """Serve the web UI (gunicorn) with a background-job worker next to it."""
    django_setup()
    env = dict(os.environ)
    job_worker = subprocess.Popen([sys.executable, "-m", "leerrecht.cli", "worker"], env=env)
    web = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "leerrecht.config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--access-logfile", "-", "--graceful-timeout", "5",
        ],
        env=env,
    )  # fmt: skip
    console.print(f"[bold green]Leerrecht runs at http://{host}:{port}/[/]  (Ctrl+C stops)")

    def stop(*_args) -> None:
        for proc in (web, job_worker):
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        code = web.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        stop()
        for proc in (web, job_worker):
            proc.wait(timeout=10)
    raise typer.Exit(code)


def worker(once: bool = typer.Option(False, help="Stop when the queue is empty.")) -> None:
    """Run background jobs (imports, reconciliation, reports)."""
    django_setup()
    from leerrecht.jobs.services import jobs_work

    try:
        ran = jobs_work(once=once)
    except KeyboardInterrupt:
        return
    console.print(f"ran {ran} job(s)")


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `leerrecht manage createsuperuser`."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line([str(Path(sys.argv[0]).name), *ctx.args])
