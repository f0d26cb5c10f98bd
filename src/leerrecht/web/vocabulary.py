"""The one Dutch vocabulary for what users read: identifiers never reach a page.

Signal names and follow-up actions live in attendance.signal_labels, roles in
accounts.models.Role, model names in each model's verbose_name; this module adds the rest
(attendance tiers, audit actions, citations of source documents) and is what templates
use through the `vocabulary` template tags.
"""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from leerrecht.accounts.models import Role
from leerrecht.attendance.signal_labels import tier_label
from leerrecht.engine.sources import source_cite

__all__ = ["field_label", "model_label", "role_label", "source_cite", "tier_label"]

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def role_label(role: str) -> str:
    """A role's Dutch name ("leerplichtambtenaar") for its stored value."""
    try:
        return str(Role(role).label)
    except ValueError:
        return str(_("onbekende rol"))


def model_label(object_type: str) -> str:
    """The Dutch name of a model given as "app_label.model" ("registry.student" ->
    "leerling"); other object types (pages, lists) fall back to a neutral word."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return OBJECT_TYPE_LABELS.get(object_type, str(_("overzicht")))


# Object types in the audit log that are pages or lists rather than models.
OBJECT_TYPE_LABELS = {
    "cases.worklist": str(_("werkvoorraad")),
    "monitoring.thuiszitters": str(_("thuiszitterslijst")),
    "monitoring.kpi": str(_("kwartaaldoelen")),
    "monitoring.inspectie": str(_("kwartaalopgave Inspectie")),
    "monitoring.telling": str(_("jaartelling")),
    "monitoring.schooloverleg": str(_("schooloverleg")),
}


# Field and section names that views write into the audit log's "fields" list; model
# fields are found by name in the models (their verbose_name), these are the rest.
FIELD_LABELS = {
    "student": str(_("leerling")),
    "deadlines": str(_("termijnen")),
    "kind": str(_("soort")),
    "signal": str(_("signaal")),
    "signal_id": str(_("signaal")),
    "window": str(_("venster")),
    "window_summary": str(_("venster")),
    "first_date": str(_("eerste dag")),
    "exists": str(_("bestaan")),
    "melding": str(_("melding")),
    "consent": str(_("toestemming")),
    "case": str(_("casus")),
    "plan": str(_("plan")),
    "contacts": str(_("contacten")),
    "timeline": str(_("tijdlijn")),
    "status": str(_("status")),
    "state": str(_("status")),
    "review": str(_("beoordeling")),
}


@cache
def field_label(name: str) -> str:
    """A field name from the audit log in Dutch: a known section name, else a model
    field's verbose_name; text that is not an identifier (Dutch words) passes unchanged."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if not _IDENTIFIER.fullmatch(name):
        return name
    for model in apps.get_models():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "verbose_name", None):  # reverse relations have none
            return str(field.verbose_name)
    return name if "_" not in name else str(_("gegevens"))


def escalation_label(key: str, *, protocol: str) -> str:
    """The label of an escalation step in a protocol preset, for its stored key."""
    from leerrecht.cases.deadlines import ProtocolError, protocol_load

    try:
        steps = protocol_load(protocol or settings.LEERRECHT_PROTOCOL).escalation_steps
    except (ProtocolError, OSError):
        steps = ()
    return next((s.label for s in steps if s.key == key), str(_("opschalingsstap")))


# Units of durations in protocol presets ("2 weeks", "5 working_days").
DURATION_UNITS = {
    "days": (_("dag"), _("dagen")),
    "calendar_days": (_("kalenderdag"), _("kalenderdagen")),
    "working_days": (_("werkdag"), _("werkdagen")),
    "school_days": (_("schooldag"), _("schooldagen")),
    "weeks": (_("week"), _("weken")),
    "months": (_("maand"), _("maanden")),
}


def duration_text(duration) -> str:
    """A preset duration in Dutch ("2 weken", "5 werkdagen"); "" for none."""
    if duration is None:
        return ""
    one, many = DURATION_UNITS.get(duration.unit, (duration.unit, duration.unit))
    return f"{duration.amount} {one if duration.amount == 1 else many}"


# Parameters of catalogue signals (engine/catalogue.py), as the protocol pages show them.
PARAM_LABELS = {
    "window_days": _("venster (schooldagen)"),
    "more_than_hours": _("meer dan (uur)"),
    "at_least_hours": _("minstens (uur)"),
    "at_least_times": _("minstens (keer)"),
    "at_least_days": _("minstens (dagen)"),
    "more_than_days": _("meer dan (dagen)"),
    "at_least_spells": _("minstens (ziekmeldingen)"),
    "max_spell_days": _("hoogstens (dagen per ziekmelding)"),
    "attended_share_below": _("aanwezig minder dan (deel)"),
    "at_day": _("op schooldag"),
}


def param_label(name: str) -> str:
    return str(PARAM_LABELS.get(name, _("instelling")))


# What a preset deadline counts from (cases/deadlines.py ANCHORS).
ANCHOR_LABELS = {
    "anchor": _("eerste dag zorgwekkend verzuim"),
    "opened": _("opening van de casus"),
    "phase_start": _("begin van de fase"),
}


def anchor_label(name: str) -> str:
    return str(ANCHOR_LABELS.get(name, _("begin")))


# Kinds of background job (jobs.services.job_handler registrations).
JOB_KIND_LABELS = {
    "attendance_import": _("verzuimbestand inlezen"),
    "cases.digest": _("dagelijkse e-mail versturen"),
    "reconciliation.link": _("lijsten vergelijken"),
    "reconciliation.absolute_verzuim": _("absoluut verzuim opsporen"),
}


def job_kind_label(kind: str) -> str:
    return str(JOB_KIND_LABELS.get(kind, _("taak op de achtergrond")))


_ROLE_IDS = re.compile(r"\b(" + "|".join(sorted(Role.values, key=len, reverse=True)) + r")\b")


def audit_detail_text(text: str) -> str:
    """An audit entry's free text with stored role values written as role names
    ("rol: mentor -> school_coordinator" reads "rol: mentor / docent -> zorgcoördinator ...")."""
    return _ROLE_IDS.sub(lambda m: role_label(m.group(1)), text or "")
