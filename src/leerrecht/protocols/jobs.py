"""Background job: simulate a protocol version against the region's stored attendance.

The engine (`engine.simulate`, DuckDB, no Django) computes which children each version
flags; this job only gathers the stored attendance files and, per child in the file,
the school and municipality from the registry. The result keeps counts and, per signal,
the registry ids of children who enter or drop out; the page shows names only to users
who may see those children (privacy/query.py)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.attendance.models import AttendanceImport
from leerrecht.engine.errors import EngineInputError
from leerrecht.engine.simulate import simulate_presets, simulation_compare
from leerrecht.jobs.services import UserFacingError, job_handler
from leerrecht.protocols.selectors import protocol_ref_preset
from leerrecht.registry.models import Enrolment, Student

JOB_KIND = "protocol_simulate"
_SHIFT_KEYS = ("earlier", "later", "dropped", "new", "days")
_CHUNK = 5000


def stored_attendance_files() -> list[Path]:
    """The canonical files of every finished attendance import, oldest first."""
    files = []
    for imp in AttendanceImport.objects.filter(status=AttendanceImport.Status.DONE).order_by(
        "created_at", "pk"
    ):
        path = imp.parquet_file
        if path is not None and path.is_file():
            files.append(path)
    return files


def _combined(files: list[Path], directory: Path) -> Path:
    """One file: for a pupil and day in several imports, the latest import counts."""
    if len(files) == 1:
        return files[0]
    out = directory / "attendance.parquet"
    parts = " UNION ALL ".join(
        f"SELECT *, {i} AS _import FROM read_parquet(?)" for i in range(len(files))
    )
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * EXCLUDE (_import, _rank) FROM (SELECT *, row_number() OVER "
            f"(PARTITION BY student_id, date ORDER BY _import DESC) AS _rank FROM ({parts})) "
            f"WHERE _rank = 1) TO ? (FORMAT parquet)",
            [*map(str, files), str(out)],
        )
    finally:
        con.close()
    return out


def _student_groups(source_ids: set[str]) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Per source id: the school (current enrolment) and municipality; and the registry id."""
    today = timezone.localdate()
    groups: dict[str, dict[str, str]] = {}
    pks: dict[str, int] = {}
    ids = sorted(source_ids)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        for pk, source, municipality in Student.objects.filter(source_id__in=chunk).values_list(
            "pk", "source_id", "residence_municipality__name"
        ):
            pks[source] = pk
            groups[source] = {"municipality": municipality or ""}
        by_pk = {pk: source for source, pk in pks.items()}
        for student_id, school in (
            Enrolment.objects.filter(student_id__in=[pks[s] for s in chunk if s in pks])
            .filter(start__lte=today)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .order_by("start")
            .values_list("student_id", "school__name")
        ):
            groups[by_pk[student_id]]["school"] = school
    return groups, pks


def _target(preset, key: str) -> int | None:
    norms = preset.protocol.norms if preset.protocol else ()
    norm = next((n for n in norms if n.key == key and n.target is not None), None)
    return None if norm is None else round(100 * norm.target)


def _result_url(job) -> str:
    view = job.payload.get("result_url", "beheer:protocol_simulation")
    if view == "beheer:protocol_simulation":
        return reverse(view, args=[job.payload["name"], job.pk])
    return reverse(view, args=[job.pk])


def open_case_shifts(*, preset_name: str, candidate) -> dict:
    """How the deadlines of the open cases of `preset_name` would move if their new rules
    were `candidate` (each case against the version it keeps now), per milestone; and the
    KPI targets (norms with a target) of the candidate. Counts only."""
    from leerrecht.cases.deadlines import ProtocolError, case_protocol
    from leerrecht.cases.models import Case, CaseStatus
    from leerrecht.cases.selectors import case_schedules_under

    shifts: dict[str, dict] = {}
    cases = moved = refused = 0
    open_cases = (
        Case.objects.filter(protocol=preset_name)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("protocol_version", "student__residence_municipality")
    )
    for case in open_cases.iterator(chunk_size=500):
        cases += 1
        try:
            now, then = case_schedules_under(case, [case_protocol(case), candidate.protocol])
        except ProtocolError:
            refused += 1  # its route or step does not exist in the candidate
            continue
        due_then = {(m.kind, m.key): m for m in then}
        changed = False
        for m in now:
            other = due_then.pop((m.kind, m.key), None)
            if m.met_on is not None or (other is not None and other.due == m.due):
                continue
            row = shifts.setdefault(m.label, dict.fromkeys(_SHIFT_KEYS, 0))
            if other is None:
                row["dropped"] += 1
            else:
                days = (other.due - m.due).days
                row["earlier" if days < 0 else "later"] += 1
                row["days"] += days
            changed = True
        for other in due_then.values():
            if other.met_on is None:
                shifts.setdefault(other.label, dict.fromkeys(_SHIFT_KEYS, 0))["new"] += 1
                changed = True
        moved += changed
    return {
        "cases": cases,
        "moved": moved,
        "refused": refused,
        "milestones": [{"label": k, **v} for k, v in sorted(shifts.items())],
    }


def _protocol_case_dates(preset_name: str) -> list:
    from leerrecht.cases.models import Case
    from leerrecht.monitoring.selectors import kpi_case_dates_of

    return kpi_case_dates_of(Case.objects.filter(protocol=preset_name))


def kpi_outcomes(*, current, candidate, cases, as_of: dt.date, quarters: int = 4) -> list[dict]:
    """Per quarterly KPI and quarter: achieved/evaluated and the target under the current
    version and under the candidate, on the same cases (monitoring's KPI rule, cohort by
    case start; ADR 0195). A side without that KPI is None."""
    from leerrecht.monitoring.figures.kpi import kpi_dashboard, kpi_specs
    from leerrecht.monitoring.figures.periods import Quarter

    periods = [Quarter.of(as_of).previous(n) for n in range(quarters - 1, -1, -1)]
    sides = {}
    for side, preset in (("before", current), ("after", candidate)):
        specs = kpi_specs(preset.protocol) if preset.protocol else ()
        results = kpi_dashboard(specs=specs, cases=cases, quarters=periods, as_of=as_of)
        sides[side] = {spec.id: (spec, results[spec.id]) for spec in specs}
    rows = []
    for key in dict.fromkeys([*sides["before"], *sides["after"]]):
        label = (sides["after"].get(key) or sides["before"][key])[0].label
        for i, quarter in enumerate(periods):
            row = {"label": label, "quarter": str(quarter)}
            for side in ("before", "after"):
                found = sides[side].get(key)
                row[side] = (
                    None
                    if found is None
                    else [found[1][i].achieved, found[1][i].evaluated, found[0].target_pct]
                )
            rows.append(row)
    return rows


@job_handler(JOB_KIND)
def protocol_simulate_job(job, progress) -> dict:
    current = protocol_ref_preset(ref=job.payload["current"])
    candidate = protocol_ref_preset(ref=job.payload["candidate"])
    files = stored_attendance_files()
    if not files:
        raise UserFacingError(_("Er is nog geen verzuim ingelezen om mee te rekenen."))
    with tempfile.TemporaryDirectory(prefix="leerrecht-simulate-") as tmp:
        attendance = _combined(files, Path(tmp))

        def step(done: int, total: int, label: str) -> None:
            progress(done, total, _("Signalen berekenen"))

        try:
            before, after = simulate_presets(
                attendance=attendance, presets=[current, candidate], progress=step
            )
        except EngineInputError as exc:
            raise UserFacingError(
                _("Het opgeslagen verzuim kon niet worden doorgerekend: %(e)s") % {"e": exc}
            ) from None
    source_ids = {sid for side in (before, after) for per in side.values() for sid in per}
    groups, pks = _student_groups(source_ids)
    comparison = simulation_compare(before, after, groups=groups)
    progress(1, 1, _("Termijnen van lopende casussen vergelijken"))
    return {
        "cases": open_case_shifts(preset_name=job.payload["name"], candidate=candidate),
        "kpis": [
            {
                "label": norm.label,
                "before": _target(current, norm.key),
                "after": round(100 * norm.target),
            }
            for norm in (candidate.protocol.norms if candidate.protocol else ())
            if norm.target is not None
        ],
        "kpi_outcomes": kpi_outcomes(
            current=current,
            candidate=candidate,
            cases=_protocol_case_dates(job.payload["name"]),
            as_of=timezone.localdate(),
        ),
        "rows": [[r.dimension, r.group, r.signal, r.before, r.after] for r in comparison.rows],
        "entering": {
            s: [pks[x] for x in ids if x in pks] for s, ids in comparison.entering.items()
        },
        "leaving": {s: [pks[x] for x in ids if x in pks] for s, ids in comparison.leaving.items()},
        "files": len(files),
        # jobs/_progress.html sends the browser to result["url"] when the job is done.
        "url": _result_url(job),
    }
