"""Read-side of privacy: the audit search and the subject access export (AVG art. 15).

The subject access export walks the database generically from the Student row through
every reverse relation (Django's related managers), so records of apps added later
(attendance, cases, reconciliation, ...) are included without changes here. Medical
details are the one exception: they are held under JGZ's medical secrecy, so the export
names how many there are and where to ask for them, never their content.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.models import ResidentRegisterEntry, Student

# Models whose content the export withholds, with where the subject can ask for it.
WITHHELD_MODELS: dict[str, str] = {
    "cases.medicalnote": (
        "Medische gegevens vallen onder het medisch beroepsgeheim van de jeugdarts. "
        "Vraag deze op bij de JGZ-organisatie."
    ),
}
# Models never followed: the audit log has its own section; technical tables.
SKIPPED_MODELS = frozenset(
    {"privacy.auditevent", "contenttypes.contenttype", "sessions.session", "admin.logentry"}
)
MAX_DEPTH = 4


def _is_withheld(label: str) -> bool:
    return label in WITHHELD_MODELS or "medical" in label


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def record_as_dict(obj: models.Model) -> dict:
    """Every concrete field, by its (Dutch) verbose name: choices shown as their label,
    foreign keys as the related object's text and id."""
    result: dict = {"id": obj.pk}
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        label = str(f.verbose_name)
        if f.is_relation:
            related_id = getattr(obj, f.attname)
            if related_id is None:
                result[label] = None
                continue
            related = getattr(obj, f.name)
            result[label] = f"{related} (#{related_id})"
        elif f.choices:
            result[label] = _plain(getattr(obj, f"get_{f.name}_display")())
        else:
            result[label] = _plain(getattr(obj, f.attname))
    return result


@dataclass
class SubjectAccessReport:
    student: Student
    generated_at: dt.datetime
    sections: dict[str, dict] = field(default_factory=dict)  # label -> {title, rows}
    withheld: dict[str, dict] = field(default_factory=dict)  # label -> {title, count, reason}
    access_log: list[AuditEvent] = field(default_factory=list)

    def about(self) -> list[tuple[str, str]]:
        """What a parent asks first (AVG art. 15 lid 1): what, by whom, why, from where,
        how long, who looked at it; in plain Dutch."""
        from leerrecht.privacy.services import ACTIVITIES

        kinds = ", ".join(
            f"{s['title']} ({len(s['rows'])})" for _l, s in sorted(self.sections.items())
        )
        organisations = sorted(
            {e.organisation_name for e in self.access_log if e.organisation_name}
        )
        purposes = sorted(
            {
                ACTIVITIES[e.processing_activity]
                for e in self.access_log
                if e.processing_activity in ACTIVITIES
            }
        )
        return [
            ("Welke gegevens", f"Gegevens over de leerling zelf, en: {kinds or 'niets meer'}."),
            (
                "Wie deze gegevens gebruikt",
                ", ".join(organisations) or "Nog geen organisatie heeft deze gegevens ingezien.",
            ),
            (
                "Waarom",
                "Voor de taken uit de Leerplichtwet 1969, de Wet passend onderwijs en de "
                "Jeugdwet (AVG artikel 6 lid 1 onder e); details over verzuim met toestemming "
                "alleen met uw toestemming. "
                + ("Gebruikt voor: " + "; ".join(purposes) + "." if purposes else ""),
            ),
            (
                "Waar de gegevens vandaan komen",
                "De inschrijving en het verzuim van de school (leerlingadministratie), de "
                "gemeente (Basisregistratie Personen) en wat school, leerplicht, "
                "samenwerkingsverband en jeugdgezondheidszorg zelf hebben vastgelegd.",
            ),
            (
                "Hoe lang",
                f"Een afgesloten casus wordt {settings.LEERRECHT_CASE_RETENTION_YEARS} jaar "
                f"na het afsluiten verwijderd; het logboek van wie wat heeft ingezien "
                f"{settings.LEERRECHT_AUDIT_RETENTION_YEARS} jaar.",
            ),
            (
                "Wie heeft ze ingezien",
                f"{len(self.access_log)} keer vastgelegd in het logboek; de lijst staat onderaan.",
            ),
        ]

    def readable_log(self) -> list[dict]:
        """The access log with role names and activity descriptions instead of codes."""
        from leerrecht.accounts.models import Role
        from leerrecht.privacy.services import ACTIVITIES

        rows = []
        for event in self.access_log:
            row = audit_event_as_dict(event)
            row["tijdstip"] = readable_value(row["tijdstip"][:19])
            row["rol"] = str(Role(event.role).label) if event.role in Role.values else event.role
            row["verwerkingsactiviteit"] = ACTIVITIES.get(
                event.processing_activity, event.processing_activity
            )
            if event.subject_student_id != self.student.pk:
                # Shown among other children on a list or search page (docs/adr/0103).
                row["handeling"] = (
                    f"{row['handeling']} ({gettext('in een lijst of zoekresultaat')})"
                )
            rows.append(row)
        return rows

    def readable_subject(self) -> list[tuple[str, str]]:
        return readable_record(record_as_dict(self.student))

    def readable_sections(self) -> list[tuple[str, list[list[tuple[str, str]]]]]:
        return [
            (s["title"][:1].upper() + s["title"][1:], [readable_record(r) for r in s["rows"]])
            for _l, s in sorted(self.sections.items())
        ]

    def as_json(self) -> dict:
        return {
            "betrokkene": record_as_dict(self.student),
            "opgesteld_op": self.generated_at.isoformat(),
            "gegevens": {
                label: {"soort": s["title"], "regels": s["rows"]}
                for label, s in sorted(self.sections.items())
            },
            "niet_opgenomen": [
                {"soort": w["title"], "aantal": w["count"], "reden": w["reason"]}
                for _, w in sorted(self.withheld.items())
            ],
            "inzage_en_verwerkingen": [audit_event_as_dict(e) for e in self.access_log],
        }


def readable_value(value) -> str:
    """A value as a parent reads it: ja/nee, Dutch dates, lists as text; "" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(v for v in (readable_value(x) for x in value) if v)
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {readable_value(v)}" for k, v in value.items() if v not in (None, "")
        )
    text = str(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        from leerrecht.web.vocabulary import code_label

        return code_label(text)  # a stored code ("phase_2") as its words
    return moment.strftime("%d-%m-%Y %H:%M" if "T" in text else "%d-%m-%Y")


@functools.cache
def technical_labels() -> frozenset[str]:
    """Field labels nobody translated (Django made them from the code name: "created at",
    "last20 scheduled hours"): internal bookkeeping, left out of the readable answer."""
    return frozenset(
        {"id", "versie"}
        | {
            f.name.replace("_", " ")
            for model in apps.get_models()
            for f in model._meta.concrete_fields
            if str(f.verbose_name) == f.name.replace("_", " ")
        }
    )


def readable_record(row: dict) -> list[tuple[str, str]]:
    """(label, text) of the fields a parent can read: no internal ids or technical fields
    (fields without a Dutch name), nothing empty."""
    return [
        (label[:1].upper() + label[1:], text)
        for label, value in row.items()
        if label not in technical_labels() and (text := readable_value(value))
    ]


def audit_event_as_dict(event: AuditEvent) -> dict:
    return {
        "tijdstip": timezone.localtime(event.occurred_at).isoformat(),
        "gebruiker": event.username,
        "organisatie": event.organisation_name,
        "rol": event.role,
        "handeling": str(event.get_action_display()),
        "verwerkingsactiviteit": event.processing_activity,
        "object": f"{event.object_type} {event.object_id}".strip(),
        "velden": event.fields,
        "uitkomst": str(event.get_outcome_display()),
        "trace_id": event.trace_id,
        "operatie_id": str(event.operation_id),
    }


def _reverse_relations(model: type[models.Model]) -> Iterable:
    """Reverse FK, one-to-one and many-to-many relations (hidden ones, "+", excluded)."""
    for rel in model._meta.related_objects:
        if rel.get_accessor_name() and not rel.related_model._meta.auto_created:
            yield rel


def subject_access_report(*, student: Student) -> SubjectAccessReport:
    """All data about one child, plus everyone who processed it (AVG art. 15)."""
    report = SubjectAccessReport(student=student, generated_at=timezone.now())
    seen: set[tuple[str, object]] = {(student._meta.label_lower, student.pk)}

    def visit(obj: models.Model, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for rel in _reverse_relations(type(obj)):
            related_model = rel.related_model
            label = related_model._meta.label_lower
            if label in SKIPPED_MODELS:
                continue
            if rel.one_to_one:
                rows = [getattr(obj, rel.get_accessor_name(), None)]
                rows = [r for r in rows if r is not None]
            else:
                manager = getattr(obj, rel.get_accessor_name())
                rows = list(manager.all().order_by("pk"))
            if _is_withheld(label):
                entry = report.withheld.setdefault(
                    label,
                    {
                        "title": str(related_model._meta.verbose_name_plural),
                        "count": 0,
                        "reason": WITHHELD_MODELS.get(label, WITHHELD_MODELS["cases.medicalnote"]),
                        "ids": set(),
                    },
                )
                entry["ids"].update(r.pk for r in rows)
                entry["count"] = len(entry["ids"])
                continue
            for row in rows:
                key = (label, row.pk)
                if key in seen:
                    continue
                seen.add(key)
                section = report.sections.setdefault(
                    label, {"title": str(related_model._meta.verbose_name_plural), "rows": []}
                )
                section["rows"].append(record_as_dict(row))
                visit(row, depth + 1)

    visit(student, 1)
    if student.bsn:
        entries = ResidentRegisterEntry.objects.filter(bsn=student.bsn).order_by("settled_on")
        for entry in entries:
            section = report.sections.setdefault(
                ResidentRegisterEntry._meta.label_lower,
                {"title": str(ResidentRegisterEntry._meta.verbose_name_plural), "rows": []},
            )
            section["rows"].append(record_as_dict(entry))
    for entry in report.withheld.values():
        entry.pop("ids", None)
    report.access_log = list(
        AuditEvent.objects.about_children([student.pk]).order_by("occurred_at", "id")
    )
    return report


# --- Audit search -------------------------------------------------------------------------


def students_matching_reference(reference: str) -> QuerySet[Student]:
    """A child by BSN (9 digits) or internal id; the privacy officer's lookup."""
    reference = reference.strip()
    if not reference:
        return Student.objects.none()
    condition = Q(bsn=reference) | Q(education_number=reference) | Q(source_id=reference)
    if reference.isdigit() and len(reference) < 9:
        condition |= Q(pk=int(reference))
    return Student.objects.filter(condition)


def audit_events_search(
    *,
    user: str = "",
    child: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    activity: str = "",
    outcome: str = "",
    action: str = "",
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if user:
        events = events.filter(username__icontains=user.strip())
    if child:
        ids = list(students_matching_reference(child).values_list("pk", flat=True))
        if child.strip().isdigit():
            ids.append(int(child.strip()))  # also a child removed since (id only)
        events = events.about_children(ids)
    if date_from:
        start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
        events = events.filter(occurred_at__gte=start)
    if date_to:
        end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
        events = events.filter(occurred_at__lt=end)
    if activity:
        events = events.filter(processing_activity=activity)
    if outcome:
        events = events.filter(outcome=outcome)
    if action:
        events = events.filter(action=action)
    return events.order_by("-occurred_at", "-id")
