"""Absence registrations (LAS exports) into the product, and the school's code table.

The conversion itself is the engine's (``leerrecht.engine.absences``, no Django): it turns
registrations into canonical daily rows. This module stages the upload, picks the school's
code table and timetable, and hands the daily rows to the one attendance import entry point
(``attendance_import_create``), so validation, idempotency, scope, audit and the signal job
are exactly those of a daily-rows upload (docs/attendance.md, docs/adr/0151).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from leerrecht.attendance.models import AbsenceCode, AttendanceImport
from leerrecht.attendance.problems import problems_shown
from leerrecht.attendance.services import (
    AttendanceFileInvalid,
    AttendanceImportError,
    attendance_dir,
    attendance_import_create,
)
from leerrecht.engine.absences import (
    CodeTable,
    DailyResult,
    absence_events_read,
    absences_to_daily,
    code_table_from_rows,
    code_table_read,
    timetable_default,
    timetable_read,
)
from leerrecht.engine.errors import AttendanceValidationError

Progress = Callable[..., None]


@dataclass
class AbsencePreview:
    layout: str
    registrations: int
    students: int
    # (code, registrations, category label or "" when unknown), most used first
    codes: list[tuple[str, int, str]]
    unknown: list[str]


# School type -> how absence hours count (DUO: primary schools clock hours, secondary
# schools lesson hours; docs/adr/0151).
_SECTOR_OF_SCHOOL_TYPE = {"po": "po", "so": "po", "vo": "vo", "vso": "vo", "mbo": "vo"}


def absence_sector(organisation) -> str:
    """po or vo for the default timetable; VO when the organisation has no school type."""
    school_type = getattr(organisation, "school_type", "") or getattr(organisation, "sector", "")
    return _SECTOR_OF_SCHOOL_TYPE.get(school_type, "vo")


def absence_code_table(*, organisation) -> CodeTable | None:
    """The school's code table as the engine reads it; None when the school has none."""
    rows = AbsenceCode.objects.filter(organisation=organisation).values_list(
        "code", "category", "description"
    )
    return code_table_from_rows(rows) if rows else None


def _staged_copy(source, *, name: str, directory: Path, stem: str = "upload") -> Path:
    """Copy an upload (Django UploadedFile or path) keeping its extension (layout detection)."""
    dest = directory / f"{stem}{Path(name).suffix.lower()[:10] or '.csv'}"
    if isinstance(source, str | Path):
        shutil.copyfile(source, dest)
    else:
        with dest.open("wb") as out:
            for chunk in source.chunks() if hasattr(source, "chunks") else [source.read()]:
                out.write(chunk)
    return dest


def absences_invalid(
    exc: AttendanceValidationError, names: dict[str, str]
) -> AttendanceFileInvalid:
    shown, total = problems_shown(exc, names=names)
    return AttendanceFileInvalid(shown, total)


def absence_code_table_upload(file, *, name: str = "codes.csv") -> CodeTable:
    """A code table from an uploaded CSV (not stored); AttendanceFileInvalid when invalid."""
    with tempfile.TemporaryDirectory(dir=attendance_dir()) as tmp:
        path = _staged_copy(file, name=getattr(file, "name", "") or name, directory=Path(tmp))
        try:
            return code_table_read(path)
        except AttendanceValidationError as exc:
            raise absences_invalid(exc, {str(path): getattr(file, "name", "") or name}) from None


def absence_codes_replace(*, organisation, file, name: str) -> int:
    """Replace the school's code table by a code-table CSV (code;omschrijving;categorie).
    All or nothing; raises AttendanceFileInvalid with file/line/column problems."""
    table = absence_code_table_upload(file, name=name)
    with transaction.atomic():
        AbsenceCode.objects.filter(organisation=organisation).delete()
        AbsenceCode.objects.bulk_create(
            AbsenceCode(organisation=organisation, code=code, category=cat, description=desc)
            for code, (cat, desc) in table.codes.items()
        )
    return len(table.codes)


def absence_file_preview(*, organisation, file, name: str) -> AbsencePreview:
    """How many registrations of a file each code covers, and which codes the school's
    table does not know. Stores nothing."""
    table = absence_code_table(organisation=organisation) or CodeTable({})
    labels = dict(AbsenceCode.Category.choices)
    with tempfile.TemporaryDirectory(dir=attendance_dir()) as tmp:
        path = _staged_copy(file, name=name, directory=Path(tmp))
        try:
            events = absence_events_read(path)
        except AttendanceValidationError as exc:
            raise absences_invalid(exc, {str(path): name}) from None
    counts = sorted(events.code_counts().items(), key=lambda item: (-item[1], item[0]))
    codes = [(code, n, str(labels.get(table.category(code) or "", ""))) for code, n in counts]
    return AbsencePreview(
        layout=events.layout,
        registrations=len(events),
        students=len(set(events.student.tolist())),
        codes=codes,
        unknown=[code for code, _n, label in codes if not label],
    )


def absences_daily(
    *,
    path: Path,
    name: str,
    codes: CodeTable,
    timetable: Path | None = None,
    timetable_name: str = "",
    calendar: Path | None = None,
    calendar_name: str = "",
    sector: str = "vo",
) -> DailyResult:
    """Engine conversion with problems in Dutch (AttendanceFileInvalid)."""
    names = {str(path): name}
    if timetable is not None:
        names[str(timetable)] = timetable_name or timetable.name
    if calendar is not None:
        names[str(calendar)] = calendar_name or calendar.name
    try:
        schedule = timetable_read(timetable) if timetable else timetable_default(sector)
        return absences_to_daily(path, codes=codes, timetable=schedule, calendar=calendar)
    except AttendanceValidationError as exc:
        raise absences_invalid(exc, names) from None


def absence_import_create(
    *,
    user,
    file,
    original_name: str,
    codes: CodeTable | None = None,
    timetable=None,
    timetable_name: str = "",
    calendar=None,
    calendar_name: str = "",
    organisation=None,
    protocol: str | None = None,
    run_inline: bool = False,
    progress: Progress | None = None,
) -> tuple[AttendanceImport, DailyResult]:
    """Convert a registrations file to daily rows and import those (all or nothing).

    `codes` None = the organisation's code table. Without a timetable the sector default
    applies (the organisation's sector; VO when it has none). Raises AttendanceFileInvalid
    or AttendanceImportError like ``attendance_import_create``."""
    if organisation is None and user is not None:
        organisation = user.organisation
    if codes is None:
        codes = absence_code_table(organisation=organisation) if organisation else None
        if codes is None:
            raise AttendanceImportError(
                _(
                    "Deze school heeft nog geen codetabel voor verzuimcodes. Vul eerst de "
                    "codetabel in (Verzuimcodes)."
                )
            )
    sector = absence_sector(organisation)
    with tempfile.TemporaryDirectory(dir=attendance_dir()) as tmp:
        directory = Path(tmp)
        path = _staged_copy(file, name=original_name, directory=directory)
        timetable_path = calendar_path = None
        if timetable is not None:
            timetable_path = _staged_copy(
                timetable, name="rooster.toml", directory=directory, stem="rooster"
            )
        if calendar is not None:
            calendar_path = _staged_copy(
                calendar, name=calendar_name or "kalender.csv", directory=directory, stem="kalender"
            )
        daily = absences_daily(
            path=path,
            name=original_name,
            codes=codes,
            timetable=timetable_path,
            timetable_name=timetable_name,
            calendar=calendar_path,
            calendar_name=calendar_name,
            sector=sector,
        )
        daily_path = directory / "daily.csv"
        daily.write_csv(daily_path)
        # The daily rows are dense (every school day of every pupil in the file), so the
        # import needs no calendar.
        imp = attendance_import_create(
            user=user,
            file=daily_path,
            # the stored file is the daily rows (CSV) made from the upload
            original_name=f"{original_name} (dagregels).csv",
            protocol=protocol,
            organisation=organisation,
            run_inline=run_inline,
            progress=progress,
        )
    return imp, daily
