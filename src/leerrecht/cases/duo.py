"""The legal DUO verzuimmelding: deadlines, the versioned export, and the gemeente's answer.

Fields follow the annex of the Besluit verzuimmelding (BWBR0027085, bijlage); the export is
our own documented, versioned layout (docs/duo-verzuimmelding.md), not DUO's XML schema.
The machine link to DUO's ROD (PKIoverheid certificate, WUS) plugs in where
``duo_export_records`` is called. Rules (5 school days, 7 days between vervolgmeldingen) come
from ``data/duo_verzuimmelding.toml``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.cases.models import DuoStatus, Melding

EXPORT_VERSION = "1.0"
ID_PREFIX = "LR-"


@cache
def duo_rules() -> dict:
    text = resources.files("leerrecht.cases").joinpath("data", "duo_verzuimmelding.toml")
    return tomllib.loads(text.read_text("utf-8"))


def duo_report_deadline(start: dt.date) -> dt.date:
    """The last day to report: `report_within_school_days` school days (Monday-Friday)
    after the day the absence became reportable."""
    days = int(duo_rules()["report_within_school_days"])
    return np.busday_offset(np.datetime64(start, "D"), days, roll="forward").astype(dt.date)


def duo_follow_up_blocked_until(*, student, duo_kind: str, reported_on: dt.date) -> dt.date | None:
    """The first day a vervolgmelding may be made, when an earlier melding of the same pupil
    and kind lies within `follow_up_min_days`; None when it may be made now."""
    gap = int(duo_rules()["follow_up_min_days"])
    previous = (
        Melding.objects.filter(student=student, kind="duo", duo_kind=duo_kind)
        .exclude(duo_status=DuoStatus.WITHDRAWN)
        .filter(reported_on__gt=reported_on - dt.timedelta(days=gap), reported_on__lte=reported_on)
        .order_by("-reported_on")
        .first()
    )
    return previous.reported_on + dt.timedelta(days=gap) if previous else None


def _yes_no(value) -> str:
    return "" if value is None else ("ja" if value else "nee")


# (export key, legal field of the annex / answer, how to read it from a melding)
EXPORT_FIELDS: list[tuple[str, str]] = [
    ("kenmerk", "kenmerk van de melding (Leerrecht)"),
    ("versie_layout", "versie van deze exportindeling"),
    ("bsn", "burgerservicenummer van de leerling"),
    ("onderwijsnummer", "onderwijsnummer (als er geen BSN is)"),
    ("brin", "instellingscode van de school"),
    ("school", "naam van de school"),
    ("leslocatie", "leslocatie"),
    ("datum_melding", "datum van de melding"),
    ("begindatum", "begindatum verzuim"),
    ("einddatum", "einddatum verzuim"),
    ("soort_verzuim", "vermoedelijke soort verzuim"),
    ("reden", "vermoedelijke reden van het verzuim"),
    ("alle_lessen_gemist", "alle lessen gemist (ja/nee)"),
    ("verzuimdagen", "aantal verzuimdagen"),
    ("verzuimuren", "aantal verzuimuren"),
    ("actie_school", "actie door school"),
    ("actie_gemeente_gewenst", "actie gemeente gewenst (ja/nee)"),
    ("toelichting_actie_gemeente", "toelichting gewenste actie gemeente"),
    ("melder_naam", "naam melder"),
    ("melder_functie", "functie melder"),
    ("melder_telefoon", "telefoonnummer melder"),
    ("melder_email", "e-mailadres melder"),
    ("telefoon_ouder_leerling", "telefoonnummer ouder/verzorger of leerling"),
    ("adres_afwijkend", "adres, als het afwijkt van de BRP"),
    ("vervolg_op", "kenmerk van de vorige melding (vervolgmelding)"),
    ("status", "status (antwoord gemeente)"),
    ("reden_afsluiten", "reden afsluiten (antwoord gemeente)"),
    ("toelichting_afsluiten", "toelichting afsluiten (antwoord gemeente)"),
    ("contactpersoon_gemeente", "contactpersoon gemeente (antwoord gemeente)"),
]


def duo_melding_record(melding: Melding) -> dict:
    student, school = melding.student, melding.organisation
    values = {
        "kenmerk": f"{ID_PREFIX}{melding.pk}",
        "versie_layout": EXPORT_VERSION,
        "bsn": student.bsn,
        "onderwijsnummer": "" if student.bsn else student.education_number,
        "brin": getattr(school, "brin", "") or "",
        "school": getattr(school, "name", "") or "",
        "leslocatie": melding.lesson_location,
        "datum_melding": melding.reported_on.isoformat(),
        "begindatum": melding.period_start.isoformat() if melding.period_start else "",
        "einddatum": melding.period_end.isoformat() if melding.period_end else "",
        "soort_verzuim": melding.get_duo_kind_display(),
        "reden": melding.suspected_reason,
        "alle_lessen_gemist": _yes_no(melding.all_lessons_missed),
        "verzuimdagen": "" if melding.absence_days is None else melding.absence_days,
        "verzuimuren": "" if melding.hours is None else float(melding.hours),
        "actie_school": melding.school_action,
        "actie_gemeente_gewenst": _yes_no(melding.municipality_action_wanted),
        "toelichting_actie_gemeente": melding.municipality_action_note,
        "melder_naam": melding.reporter_name,
        "melder_functie": melding.reporter_function,
        "melder_telefoon": melding.reporter_phone,
        "melder_email": melding.reporter_email,
        "telefoon_ouder_leerling": melding.contact_phone,
        "adres_afwijkend": melding.other_address,
        "vervolg_op": f"{ID_PREFIX}{melding.previous_melding_id}"
        if melding.previous_melding_id
        else "",
        "status": melding.get_duo_status_display(),
        "reden_afsluiten": melding.closing_reason,
        "toelichting_afsluiten": melding.closing_explanation,
        "contactpersoon_gemeente": melding.municipality_contact,
    }
    return {key: values[key] for key, _legal in EXPORT_FIELDS}


def duo_export_records(meldingen) -> list[dict]:
    """The records of an export; marks the meldingen as exported. The machine link to DUO's
    ROD (PKIoverheid, WUS) would send these records from here (docs/duo-verzuimmelding.md)."""
    meldingen = list(meldingen)
    Melding.objects.filter(pk__in=[m.pk for m in meldingen], exported_at__isnull=True).update(
        exported_at=timezone.now()
    )
    return [duo_melding_record(m) for m in meldingen]


def duo_export_json(records: list[dict]) -> str:
    body = {"versie": EXPORT_VERSION, "meldingen": records}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def duo_export_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[k for k, _l in EXPORT_FIELDS], delimiter=";")
    writer.writeheader()
    for record in records:
        # Neutralise spreadsheet formulas in free text (=, +, -, @ at the start).
        writer.writerow(
            {
                k: (f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v)
                for k, v in record.items()
            }
        )
    return out.getvalue()


# --- status feedback ------------------------------------------------------------------------

_STATUS_BY_TEXT = {
    **{value: value for value in DuoStatus.values},
    **{str(label).lower(): value for value, label in DuoStatus.choices},
    "ter kennisneming aangenomen": DuoStatus.NOTED,
    "ter kennisgeving aangenomen": DuoStatus.NOTED,
    "in behandeling": DuoStatus.IN_PROGRESS,
}
FEEDBACK_COLUMNS = ("kenmerk", "status", "reden", "toelichting", "contact")


@dataclass
class FeedbackResult:
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


class FeedbackInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(_("Het antwoordbestand bevat fouten; er is niets gewijzigd."))


def _feedback_rows(text: str, name: str) -> list[tuple[int, dict]]:
    """(line or item number, row) of a feedback file: JSON list / {"meldingen": [...]} or CSV."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise FeedbackInvalid([f"{name}, regel {exc.lineno}: geen geldige JSON"]) from None
        items = data.get("meldingen", []) if isinstance(data, dict) else data
        return [(i, item if isinstance(item, dict) else {}) for i, item in enumerate(items, 1)]
    first = stripped.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(stripped), delimiter=";" if ";" in first else ",")
    return [(n, row) for n, row in enumerate(reader, start=2)]


def duo_feedback_import(*, meldingen, text: str, name: str) -> FeedbackResult:
    """Apply the gemeente's answers (status, reden, toelichting, contact) to the meldingen
    (a queryset the user may see). All or nothing; applying the same file again changes
    nothing (idempotent)."""
    rows = _feedback_rows(text, name)
    unit = "melding" if text.lstrip("\ufeff").lstrip().startswith(("{", "[")) else "regel"
    problems: list[str] = []
    planned: list[tuple[Melding, dict]] = []
    for n, row in rows:
        row = {
            str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in row.items()
        }
        where = f"{name}, {unit} {n}"
        key = row.get("kenmerk", "").removeprefix(ID_PREFIX)
        if not key.isdigit():
            problems.append(f"{where}, kolom kenmerk: onbekend kenmerk {row.get('kenmerk', '')!r}")
            continue
        melding = meldingen.filter(pk=int(key), kind="duo").first()
        if melding is None:
            problems.append(f"{where}, kolom kenmerk: geen melding {ID_PREFIX}{key} van uw school")
            continue
        status = _STATUS_BY_TEXT.get(row.get("status", "").lower())
        if status is None:
            problems.append(
                f"{where}, kolom status: onbekende status {row.get('status', '')!r} (kies uit: "
                + ", ".join(str(label) for _v, label in DuoStatus.choices)
                + ")"
            )
            continue
        planned.append(
            (
                melding,
                {
                    "duo_status": status,
                    "closing_reason": row.get("reden", "")[:200],
                    "closing_explanation": row.get("toelichting", ""),
                    "municipality_contact": row.get("contact", "")[:200],
                },
            )
        )
    if problems:
        raise FeedbackInvalid(problems)
    result = FeedbackResult()
    today = timezone.localdate()
    with transaction.atomic():
        for melding, values in planned:
            if all(getattr(melding, k) == v for k, v in values.items()):
                result.unchanged.append(melding.pk)
                continue
            for k, v in values.items():
                setattr(melding, k, v)
            melding.answered_on = today
            melding.version += 1
            melding.save(update_fields=[*values, "answered_on", "version"])
            result.updated.append(melding.pk)
    return result
