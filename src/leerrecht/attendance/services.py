"""Write side of attendance: import a file, compute its signals, store hits and summaries.

Flow (docs/attendance.md):

1. `attendance_import_create` copies the upload while hashing it, returns the existing
   import when the same file (+ calendar, + protocol) was imported before for the same
   organisation (nothing changes), validates the file with the engine (synchronously, so
   every problem with file/line/column reaches the user at once; nothing is stored when
   the file is invalid), writes the canonical Parquet and queues a job.
2. The job (`attendance_import_run`, kind "attendance_import") keeps only the rows of
   students the uploader may see (data minimisation), runs the protocol preset with the
   engine, and stores `SignalHit`s (ignore_conflicts: a re-run adds nothing) and
   `AttendanceSummary`s in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import duckdb
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.attendance.models import AttendanceImport, AttendanceSummary, SignalHit
from leerrecht.attendance.problems import ShownProblem, problems_shown
from leerrecht.attendance.query import (
    import_scope_students,
    user_may_import_attendance,
)
from leerrecht.engine import (
    AttendanceValidationError,
    EngineInputError,
    PresetError,
    attendance_to_parquet,
    preset_load,
    signals_compute,
)
from leerrecht.engine.compulsory import is_compulsory
from leerrecht.engine.runs import absence_run_starts
from leerrecht.jobs.models import Job
from leerrecht.jobs.services import job_enqueue
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record
from leerrecht.protocols.selectors import protocol_current_preset
from leerrecht.registry.models import Student
from leerrecht.registry.protocols import (
    protocol_for_organisation,
    protocols_for_students,
    region_protocol,
    sector_presets,
)

logger = logging.getLogger(__name__)

JOB_KIND = "attendance_import"
ACTIVITY = "signalering"
TIER_SIGNAL = "attendance_tier"  # a label per student, stored in AttendanceSummary
UNKNOWN_SAMPLE = 10  # how many unknown student ids an import result names
_IN_CHUNK = 900  # stay below SQLite's bound-parameter limit

Progress = Callable[[int, int, str], None]

# Who acts for system imports (demo data, CLI without --as-user) in the audit log.
SYSTEM_ACTOR = SimpleNamespace(username="systeem", organisation=None, role="", pk=None)


class AttendanceImportError(Exception):
    """A problem the user can fix; str() is the Dutch message."""


class AttendanceFileInvalid(AttendanceImportError):
    """The file (or calendar) has invalid rows: nothing was stored."""

    def __init__(self, problems: list[ShownProblem], total: int) -> None:
        self.problems = problems
        self.total = total
        super().__init__(
            _("Het bestand bevat %(n)d fout(en); er is niets opgeslagen.") % {"n": total}
        )

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            out.append(_("... en nog %(n)d fout(en)") % {"n": self.total - len(self.problems)})
        return out


@dataclass
class _Staged:
    path: Path
    sha256: str
    name: str


@dataclass
class _Scope:
    student_pk_by_source: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    out_of_scope: int = 0


# --------------------------------------------------------------------------- files


def attendance_dir() -> Path:
    path = Path(settings.DATA_DIR) / "attendance"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _relative(path: Path) -> str:
    return str(path.relative_to(Path(settings.DATA_DIR)))


def _stage(source, *, name: str) -> _Staged:
    """Copy an uploaded file (Django UploadedFile, path, or binary file) while hashing it."""
    suffix = Path(name).suffix.lower()[:10]
    staging = attendance_dir() / "staging"
    staging.mkdir(exist_ok=True)
    dest = staging / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    with dest.open("wb") as out:
        if isinstance(source, str | Path):
            with Path(source).open("rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
        elif hasattr(source, "chunks"):
            for chunk in source.chunks():
                digest.update(chunk)
                out.write(chunk)
        else:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                out.write(chunk)
    return _Staged(dest, digest.hexdigest(), name)


def _parquet_stats(path: Path) -> tuple[int, int, object, object]:
    """(rows, students, first date, last date) of a canonical attendance Parquet."""
    con = duckdb.connect()
    try:
        rows, students, first, last = con.execute(
            "SELECT count(*), count(DISTINCT student_id), min(date), max(date) "
            "FROM read_parquet(?)",
            [str(path)],
        ).fetchone()
    finally:
        con.close()
    return int(rows), int(students), first, last


def _remove(*paths: Path | None) -> None:
    for path in paths:
        if path is not None:
            path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- audit


def _audit(actor, *, action: str, obj=None, outcome=AuditEvent.Outcome.OK, detail: str = ""):
    audit_record(
        actor=actor or SYSTEM_ACTOR,
        action=action,
        activity=ACTIVITY,
        obj=obj,
        object_type="" if obj is not None else "attendance.attendanceimport",
        outcome=outcome,
        detail=detail,
    )


# --------------------------------------------------------------------------- create


def _transition(imp: AttendanceImport, status: str) -> None:
    if status not in AttendanceImport.TRANSITIONS[imp.status]:
        raise AttendanceImportError(
            _("Deze import kan niet van '%(a)s' naar '%(b)s'.")
            % {"a": imp.get_status_display(), "b": AttendanceImport.Status(status).label}
        )
    imp.status = status


def _existing(*, organisation, sha256: str, calendar_sha256: str, protocol: str):
    return (
        AttendanceImport.objects.select_for_update()
        .filter(
            organisation=organisation,
            sha256=sha256,
            calendar_sha256=calendar_sha256,
            protocol=protocol,
        )
        .first()
    )


def attendance_import_create(
    *,
    user,
    file,
    original_name: str,
    calendar=None,
    calendar_name: str = "",
    protocol: str | None = None,
    organisation=None,
    run_inline: bool = False,
    progress: Progress | None = None,
) -> AttendanceImport:
    """Validate and store an attendance file and start computing its signals.

    `user` None = a system import (all registry students; audited as "systeem").
    `run_inline` runs the job in this process (CLI, demo) with `progress`; otherwise the
    job is queued for the worker. Returns the import; `.reused` is True when the same
    file was imported before (then nothing changes). Raises AttendanceFileInvalid
    (problems with file/line/column) or AttendanceImportError.
    """
    if user is not None and not user_may_import_attendance(user):
        raise AttendanceImportError(_("U mag geen verzuimbestanden inlezen."))
    if organisation is None and user is not None:
        organisation = user.organisation
    # A school's file follows its sector's preset; other imports the region's (ADR 0110).
    protocol = protocol or protocol_for_organisation(organisation)
    try:
        preset_load(name_or_path=protocol)
    except PresetError as exc:
        raise AttendanceImportError(
            _("Onbekend of ongeldig protocol: %(e)s") % {"e": exc}
        ) from None

    staged = _stage(file, name=original_name)
    staged_cal = _stage(calendar, name=calendar_name or "kalender.csv") if calendar else None
    cal_sha = staged_cal.sha256 if staged_cal else ""
    key = {"organisation": organisation, "sha256": staged.sha256, "calendar_sha256": cal_sha}

    with transaction.atomic():
        found = _existing(**key, protocol=protocol)
        if found is not None and found.status != AttendanceImport.Status.FAILED:
            _remove(staged.path, staged_cal.path if staged_cal else None)
            _audit(
                user,
                action=AuditEvent.Action.IMPORT,
                obj=found,
                detail="same file again: unchanged",
            )
            found.reused = True
            return found

    canonical = staged.path.with_suffix(".canonical.parquet")
    names = {str(staged.path): original_name}
    if staged_cal:
        names[str(staged_cal.path)] = staged_cal.name
    try:
        attendance_to_parquet(
            attendance=staged.path,
            calendar=staged_cal.path if staged_cal else None,
            output=canonical,
        )
    except AttendanceValidationError as exc:
        _remove(staged.path, canonical, staged_cal.path if staged_cal else None)
        shown, total = problems_shown(exc, names=names)
        _audit(
            user,
            action=AuditEvent.Action.IMPORT,
            outcome=AuditEvent.Outcome.ERROR,
            detail=f"invalid file {original_name}: {total} problem(s)",
        )
        raise AttendanceFileInvalid(shown, total) from None
    finally:
        _remove(staged.path)
    stats = _parquet_stats(canonical)

    try:
        with transaction.atomic():
            imp = _existing(**key, protocol=protocol)
            if imp is None:
                imp = AttendanceImport(**key, protocol=protocol)
            elif imp.status == AttendanceImport.Status.FAILED:
                _transition(imp, AttendanceImport.Status.QUEUED)
                imp.message = ""
                imp.result = {}
            else:  # another upload of the same file won the race
                imp.reused = True
                _remove(canonical, staged_cal.path if staged_cal else None)
                return imp
            imp.uploaded_by = user
            imp.original_name = original_name[:255]
            imp.row_count, imp.student_count, imp.first_date, imp.last_date = stats
            imp.save()
            final = attendance_dir() / f"{imp.pk}.validated.parquet"
            shutil.move(canonical, final)
            imp.parquet_path = _relative(final)
            if staged_cal:
                cal_dest = attendance_dir() / "calendars"
                cal_dest.mkdir(exist_ok=True)
                cal_file = cal_dest / f"{imp.pk}{Path(staged_cal.name).suffix.lower() or '.csv'}"
                shutil.move(staged_cal.path, cal_file)
                imp.calendar_path = _relative(cal_file)
            imp.save(update_fields=["parquet_path", "calendar_path"])
            _audit(
                user,
                action=AuditEvent.Action.IMPORT,
                obj=imp,
                detail=f"{original_name}: {stats[0]} rows, {stats[1]} students",
            )
    except IntegrityError:  # concurrent first upload of the same file
        _remove(canonical, staged_cal.path if staged_cal else None)
        imp = AttendanceImport.objects.get(**key, protocol=protocol)
        imp.reused = True
        return imp

    if run_inline:
        _run_inline(imp, user=user, progress=progress)
    else:
        job = job_enqueue(kind=JOB_KIND, payload={"attendance_import_id": imp.pk}, user=user)
        AttendanceImport.objects.filter(pk=imp.pk).update(job=job)
    imp.refresh_from_db()
    return imp


def _run_inline(imp: AttendanceImport, *, user, progress: Progress | None) -> None:
    """Run the import's job in this process, keeping the Job row in step (CLI, demo)."""
    job = Job.objects.create(
        kind=JOB_KIND,
        payload={"attendance_import_id": imp.pk},
        created_by=user,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
    )
    AttendanceImport.objects.filter(pk=imp.pk).update(job=job)

    def both(done: int, total: int, label: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(
            progress_done=done, progress_total=total, progress_label=label[:200]
        )
        if progress:
            progress(done, total, label)

    try:
        result = attendance_import_run(attendance_import=imp, progress=both)
    except AttendanceImportError as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=str(exc), finished_at=timezone.now()
        )
        raise
    except Exception:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            message=_("Er ging iets mis bij het uitvoeren."),
            finished_at=timezone.now(),
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, result=result, finished_at=timezone.now()
    )


# --------------------------------------------------------------------------- run


def _fail(imp: AttendanceImport, message: str) -> None:
    with transaction.atomic():
        locked = AttendanceImport.objects.select_for_update().get(pk=imp.pk)
        if AttendanceImport.Status.FAILED in AttendanceImport.TRANSITIONS[locked.status]:
            locked.status = AttendanceImport.Status.FAILED
            locked.message = message
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "message", "finished_at"])


def attendance_import_run(
    *, attendance_import: AttendanceImport, progress: Progress | None = None
) -> dict:
    """Compute and store the signals of a validated import (the job handler's work)."""
    with transaction.atomic():
        imp = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        if imp.status == AttendanceImport.Status.DONE:
            return imp.result
        _transition(imp, AttendanceImport.Status.RUNNING)
        imp.save(update_fields=["status"])
    try:
        result = _compute_and_store(imp, progress or (lambda done, total, label="": None))
    except EngineInputError as exc:
        message = _("Het berekenen van de signalen lukte niet: %(e)s") % {"e": exc}
        _fail(imp, message)
        raise AttendanceImportError(message) from None
    except AttendanceImportError as exc:
        _fail(imp, str(exc))
        raise
    except Exception:
        _fail(imp, _("Er ging iets mis bij het berekenen van de signalen."))
        raise
    return result


def _resolve_scope(imp: AttendanceImport, source_ids: list[str]) -> _Scope:
    """Map file student ids to registry students the uploader may store signals for."""
    today = timezone.localdate()
    on = min(imp.last_date, today) if imp.last_date else today
    scope_qs = import_scope_students(imp.uploaded_by, on=on)

    scope = _Scope()
    known: set[str] = set()
    # The school's own leerlingnummer (the registry's source id); a BSN or onderwijsnummer
    # is accepted as well, for files exported with those as the pupil's identifier.
    for key in ("source_id", "bsn", "education_number"):
        todo = [s for s in source_ids if s not in known]
        for i in range(0, len(todo), _IN_CHUNK):
            chunk = todo[i : i + _IN_CHUNK]
            known.update(
                Student.objects.filter(**{f"{key}__in": chunk}).values_list(key, flat=True)
            )
            scope.student_pk_by_source.update(
                dict(scope_qs.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
            )
    scope.unknown = sorted(s for s in source_ids if s not in known)
    scope.out_of_scope = len(known) - len(scope.student_pk_by_source)
    return scope


def _preset_in_force(protocol: str):
    """The protocol's version in force today (a published version in the database, else
    the shipped file; docs/adr/0190): what new signals are computed with."""
    return protocol_current_preset(preset_name=protocol, on=timezone.localdate())


def _tier_params(protocol: str) -> dict:
    preset = _preset_in_force(protocol)
    if TIER_SIGNAL in preset.signal_ids:
        return {TIER_SIGNAL: dict(preset.signal(TIER_SIGNAL).params)}
    return {}


def _dec(value, places: int = 2) -> Decimal:
    return Decimal(str(round(float(value or 0), places)))


_SUMMARY_SQL = """
WITH a AS (
  SELECT student_id, date, scheduled_hours, unauthorised_hours, sick_hours, authorised_hours,
         scheduled_hours - unauthorised_hours - sick_hours - authorised_hours AS attended
  FROM read_parquet(?)
),
last AS (
  SELECT student_id, max(date) AS as_of,
         CASE WHEN month(max(date)) >= 8 THEN make_date(year(max(date)), 8, 1)
              ELSE make_date(year(max(date)) - 1, 8, 1) END AS sy_start
  FROM a GROUP BY student_id
),
yr AS (
  SELECT a.student_id, count(*) AS days, sum(scheduled_hours) AS sched, sum(attended) AS att,
         sum(unauthorised_hours) AS unauth, sum(sick_hours) AS sick,
         sum(authorised_hours) AS auth
  FROM a JOIN last l ON a.student_id = l.student_id AND a.date >= l.sy_start
  GROUP BY a.student_id
),
ranked AS (
  SELECT student_id, date, scheduled_hours, attended, unauthorised_hours, sick_hours,
         authorised_hours,
         row_number() OVER (PARTITION BY student_id ORDER BY date DESC) AS rn
  FROM a
),
recent AS (
  SELECT student_id,
         sum(scheduled_hours) FILTER (WHERE rn <= 20) AS s20,
         sum(attended) FILTER (WHERE rn <= 20) AS a20,
         coalesce(min(rn) FILTER (WHERE attended > 1e-9), max(rn) + 1) - 1 AS streak
  FROM ranked GROUP BY student_id
),
streak AS (
  SELECT k.student_id, min(k.date) AS since, sum(k.unauthorised_hours) AS su,
         sum(k.sick_hours) AS ss, sum(k.authorised_hours) AS sa
  FROM ranked k JOIN recent r ON r.student_id = k.student_id AND k.rn <= r.streak
  GROUP BY k.student_id
)
SELECT l.student_id, l.as_of, l.sy_start, yr.days, yr.sched, yr.att, yr.unauth, yr.sick,
       yr.auth, r.s20, r.a20, r.streak, s.since, s.su, s.ss, s.sa
FROM last l JOIN yr ON yr.student_id = l.student_id JOIN recent r ON r.student_id = l.student_id
LEFT JOIN streak s ON s.student_id = l.student_id
"""


def _protocols_by_source(imp: AttendanceImport, pk_by_source: dict[str, int]) -> dict[str, str]:
    """The preset per student: the import's own protocol, except that an import under the
    region's protocol follows the region's sector mapping per pupil (ADR 0110)."""
    if imp.protocol != region_protocol() or not sector_presets(imp.protocol):
        return dict.fromkeys(pk_by_source, imp.protocol)
    on = imp.last_date or timezone.localdate()
    by_pk = protocols_for_students(pk_by_source.values(), on=on, region=imp.protocol)
    return {source: by_pk[pk] for source, pk in pk_by_source.items()}


def _within_compulsory_age(hit_rows: list[dict], pk_by_source: dict[str, int]) -> list[dict]:
    """Only signals of children of compulsory school age on the signal's first day
    (leerrecht.engine.compulsory; Leerplichtwet art. 3, 4, 4a). The school keeps seeing
    the attendance (summaries) of every pupil; no signal goes anywhere for the others."""
    pks = {pk_by_source[r["student_id"]] for r in hit_rows}
    born: dict[int, tuple] = {}
    ids = sorted(pks)
    for i in range(0, len(ids), _IN_CHUNK):
        born.update(
            (pk, (dob, first))
            for pk, dob, first in Student.objects.filter(pk__in=ids[i : i + _IN_CHUNK])
            .annotate(first=Min("enrolments__start"))
            .values_list("pk", "date_of_birth", "first")
        )
    kept = []
    for row in hit_rows:
        dob, first = born[pk_by_source[row["student_id"]]]
        if is_compulsory(date_of_birth=dob, on=row["first_date"], first_enrolment=first):
            kept.append(row)
    return kept


def _compute_and_store(imp: AttendanceImport, progress: Progress) -> dict:
    preset = _preset_in_force(imp.protocol)
    signal_ids = [s for s in preset.signal_ids if s != TIER_SIGNAL]
    total = len(signal_ids) + 4
    progress(0, total, _("Leerlingen koppelen"))

    validated = imp.parquet_file
    if validated is None or not validated.is_file():
        raise AttendanceImportError(_("Het ingelezen bestand is niet meer aanwezig."))
    con = duckdb.connect()
    try:
        source_ids = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT student_id FROM read_parquet(?) ORDER BY 1", [str(validated)]
            ).fetchall()
        ]
        scope = _resolve_scope(imp, source_ids)
        # Data minimisation: keep only rows of students the uploader may see (ADR 0052).
        con.execute(
            "CREATE TEMP TABLE allowed AS SELECT CAST(unnest(?) AS VARCHAR) AS student_id",
            [list(scope.student_pk_by_source) or [""]],
        )
        final = attendance_dir() / f"{imp.pk}.parquet"
        scoped = final.with_name(final.name + ".tmp")  # never write the file being read
        con.execute(
            "COPY (SELECT a.* FROM read_parquet(?) a SEMI JOIN allowed USING (student_id) "
            "ORDER BY student_id, date) TO ? (FORMAT parquet, COMPRESSION zstd)",
            [str(validated), str(scoped)],
        )
        scoped.replace(final)
        summary_rows = (
            con.execute(_SUMMARY_SQL, [str(final)]).fetchall() if scope.student_pk_by_source else []
        )
    finally:
        con.close()
    AttendanceImport.objects.filter(pk=imp.pk).update(parquet_path=_relative(final))
    imp.parquet_path = _relative(final)
    if final != validated:
        validated.unlink(missing_ok=True)
    progress(1, total, _("Signalen berekenen"))

    hit_rows: list[dict] = []
    tiers: dict[str, tuple[float, int]] = {}
    leads: dict[tuple[str, str], list[str]] = {}
    if scope.student_pk_by_source:
        protocol_by_source = _protocols_by_source(imp, scope.student_pk_by_source)
        for protocol in sorted(set(protocol_by_source.values())):
            group_preset = preset if protocol == imp.protocol else _preset_in_force(protocol)
            group_ids = [s for s in group_preset.signal_ids if s != TIER_SIGNAL]
            leads.update({(protocol, s.id): list(s.leads_to) for s in group_preset.signals})
            if not group_ids:
                continue
            rows = signals_compute(
                attendance=final,
                preset=group_preset,
                signal_ids=group_ids,
                progress=lambda sid, i, n: progress(1 + i, total, _("Signaal %(s)s") % {"s": sid}),
            ).to_pylist()
            hit_rows += [
                {**r, "protocol": protocol}
                for r in rows
                if protocol_by_source[r["student_id"]] == protocol
            ]
        hit_rows = _within_compulsory_age(hit_rows, scope.student_pk_by_source)
        tier_table = signals_compute(
            attendance=final, signal_ids=[TIER_SIGNAL], params=_tier_params(imp.protocol)
        )
        for row in tier_table.to_pylist():
            tiers[row["student_id"]] = (row["value"] or 0.0, row["tier"] or 1)
    progress(total - 2, total, _("Signalen opslaan"))

    pk_by_source = scope.student_pk_by_source
    run_starts = absence_run_starts(
        final, ((r["student_id"], r["first_date"], r.get("spell_length")) for r in hit_rows)
    )
    objs = []
    for row in hit_rows:
        details = {k: row[k] for k in ("value", "spell_length", "tier") if row.get(k) is not None}
        run_start = run_starts.get((row["student_id"], row["first_date"], row.get("spell_length")))
        if run_start is not None:  # the first day of the absence behind the signal
            details["run_start"] = run_start.isoformat()
        objs.append(
            SignalHit(
                student_id=pk_by_source[row["student_id"]],
                signal=row["signal"],
                first_date=row["first_date"],
                details=details,
                protocol=row["protocol"],
                leads_to=leads.get((row["protocol"], row["signal"]), []),
                attendance_import=imp,
            )
        )

    with transaction.atomic():
        SignalHit.objects.bulk_create(objs, batch_size=1000, ignore_conflicts=True)
        signals_new = SignalHit.objects.filter(attendance_import=imp).count()
        summaries = _summaries_store(imp, summary_rows, tiers, pk_by_source)
        progress(total - 1, total, _("Afronden"))
        result = {
            "signals_found": len(objs),
            "signals_new": signals_new,
            "signals_existing": len(objs) - signals_new,
            "students_matched": len(pk_by_source),
            "unknown_students": len(scope.unknown),
            "unknown_sample": scope.unknown[:UNKNOWN_SAMPLE],
            "out_of_scope_students": scope.out_of_scope,
            "summaries": summaries,
        }
        locked = AttendanceImport.objects.select_for_update().get(pk=imp.pk)
        _transition(locked, AttendanceImport.Status.DONE)
        locked.result = result
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "result", "finished_at"])
        _audit(
            imp.uploaded_by,
            action=AuditEvent.Action.CREATE,
            obj=locked,
            detail=(
                f"signalen opgeslagen: {signals_new} nieuw, {len(objs) - signals_new} al "
                f"bekend; leerlingen: {len(pk_by_source)}; onbekend: {len(scope.unknown)}; "
                f"buiten werkgebied: {scope.out_of_scope}"
            ),
        )
    progress(total, total, _("Klaar"))
    return result


_SUMMARY_FIELDS = [
    "attendance_import",
    "as_of",
    "school_year_start",
    "school_days",
    "scheduled_hours",
    "attended_hours",
    "unauthorised_hours",
    "sick_hours",
    "authorised_hours",
    "absence_rate",
    "tier",
    "last20_scheduled_hours",
    "last20_attended_hours",
    "last20_percent_attended",
    "absent_streak_days",
    "absent_since",
    "streak_unauthorised_hours",
    "streak_sick_hours",
    "streak_authorised_hours",
    "updated_at",
]


def _summaries_store(imp, rows, tiers, pk_by_source) -> int:
    """Create or refresh each student's summary unless a newer one (later as_of) exists."""
    if not rows:
        return 0
    pks = [pk_by_source[r[0]] for r in rows]
    existing = {
        s.student_id: s
        for i in range(0, len(pks), _IN_CHUNK)
        for s in AttendanceSummary.objects.filter(student_id__in=pks[i : i + _IN_CHUNK])
    }
    create, update = [], []
    for row in rows:
        sid, as_of, sy_start, days, sched, att, unauth, sick, auth, s20, a20, streak = row[:12]
        since, streak_unauth, streak_sick, streak_auth = row[12:]
        pk = pk_by_source[sid]
        rate, tier = tiers.get(sid, (0.0, 1))
        values = {
            "attendance_import": imp,
            "as_of": as_of,
            "school_year_start": sy_start,
            "school_days": int(days),
            "scheduled_hours": _dec(sched),
            "attended_hours": _dec(att),
            "unauthorised_hours": _dec(unauth),
            "sick_hours": _dec(sick),
            "authorised_hours": _dec(auth),
            "absence_rate": _dec(rate, 4),
            "tier": int(tier),
            "last20_scheduled_hours": _dec(s20),
            "last20_attended_hours": _dec(a20),
            "last20_percent_attended": _dec(100 * a20 / s20, 1) if s20 else None,
            "absent_streak_days": int(streak),
            "absent_since": since,
            "streak_unauthorised_hours": _dec(streak_unauth),
            "streak_sick_hours": _dec(streak_sick),
            "streak_authorised_hours": _dec(streak_auth),
        }
        current = existing.get(pk)
        if current is None:
            create.append(AttendanceSummary(student_id=pk, **values))
        elif current.as_of <= as_of:
            for k, v in values.items():
                setattr(current, k, v)
            current.updated_at = timezone.now()
            update.append(current)
    AttendanceSummary.objects.bulk_create(create, batch_size=1000)
    if update:
        AttendanceSummary.objects.bulk_update(update, _SUMMARY_FIELDS, batch_size=1000)
    return len(create) + len(update)


# --------------------------------------------------------------------------- demo


def attendance_import_is_stale(*, attendance_import: AttendanceImport) -> bool:
    """True when hits this import stored have disappeared (their students were deleted and
    loaded again, e.g. the demo region reloaded): a re-run would store them again."""
    imp = attendance_import
    if imp.status != AttendanceImport.Status.DONE:
        return False
    stored = SignalHit.objects.filter(attendance_import=imp).count()
    return stored < int((imp.result or {}).get("signals_new", 0))


def attendance_import_rerun(
    *, attendance_import: AttendanceImport, progress: Progress | None = None
) -> AttendanceImport:
    """Compute a finished import again in this process (stores only what is missing)."""
    with transaction.atomic():
        imp = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        _transition(imp, AttendanceImport.Status.QUEUED)
        imp.save(update_fields=["status"])
    _run_inline(imp, user=imp.uploaded_by, progress=progress)
    imp.refresh_from_db()
    return imp


def attendance_demo_import(
    *, data_dir: str | Path | None = None, progress: Progress | None = None
) -> AttendanceImport:
    """Import the demo generator's attendance.parquet as the system (all students).

    `data_dir` is the folder holding the files, or the data dir whose "demo" subfolder
    does (default settings.DATA_DIR / "demo"). Idempotent: a second call returns the first
    import unchanged - unless the demo region was loaded again in between (students
    recreated, their hits gone), then the import is computed again.

    The demo file is dense (a row per school day of each enrolment), so the generator's
    calendar.csv is not passed: with a calendar the engine would fill the days before a
    mid-year enrolment and after leaving as fully attended (docs/attendance.md).
    """
    base = Path(data_dir) if data_dir is not None else Path(settings.DATA_DIR) / "demo"
    if not (base / "attendance.parquet").is_file() and (base / "demo").is_dir():
        base = base / "demo"
    attendance = base / "attendance.parquet"
    if not attendance.is_file():
        raise AttendanceImportError(_("Geen demobestand gevonden: %(p)s") % {"p": attendance})
    imp = attendance_import_create(
        user=None,
        file=attendance,
        original_name=attendance.name,
        run_inline=True,
        progress=progress,
    )
    if imp.reused and attendance_import_is_stale(attendance_import=imp):
        imp = attendance_import_rerun(attendance_import=imp, progress=progress)
        imp.reused = False
    return imp
