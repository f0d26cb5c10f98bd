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


# The engine's detail columns of a signal, as kept in a melding's absence overview.
WINDOW_LABELS = {
    "value": _("gemeten waarde"),
    "spell_length": _("schooldagen ziek achter elkaar"),
    "tier": _("aanwezigheidsniveau"),
}


def window_facts(window: dict) -> list[tuple[str, str]]:
    """A melding's absence overview (signal details and the pre-filled window) as Dutch
    label/value pairs; the weekly table and nested parts are shown elsewhere."""
    facts = []
    for key, value in (window or {}).items():
        if key in ("weeks", "details", "leads_to") or value in (None, ""):
            continue
        if key == "tier":
            shown = tier_label(value)
        elif isinstance(value, float):
            shown = f"{value:.1f}".replace(".", ",").removesuffix(",0")
        else:
            shown = str(value)
        facts.append((str(WINDOW_LABELS.get(key) or field_label(key)), shown))
    return facts


# Kinds of entry in a case's history (cases.services: CaseEvent.kind).
CASE_EVENT_LABELS = {
    "opened": _("casus geopend"),
    "updated": _("casus gewijzigd"),
    "phase": _("fase gewijzigd"),
    "status": _("status gewijzigd"),
    "melding_attached": _("melding gekoppeld"),
    "melding_updated": _("melding bijgewerkt"),
    "consent": _("toestemming"),
    "plan_action": _("actie afgesproken"),
    "plan_action_status": _("status van een actie"),
    "contact": _("contact"),
    "education_share": _("gegevens gedeeld met onderwijs"),
    "enforcement": _("handhavingsstap"),
    "escalation": _("opschaling"),
    "offer": _("aanbod"),
    "participant": _("betrokkene"),
    "voice": _("stem van leerling/ouders"),
    "waiting_list": _("wachtlijst"),
}
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


@cache
def _step_labels() -> dict[str, str]:
    """Route step and escalation step keys of every protocol preset, the configured
    protocol's label winning where presets share a key."""
    from leerrecht.cases.deadlines import ProtocolError, protocol_load
    from leerrecht.engine.presets import preset_names

    labels: dict[str, str] = {}
    names = [settings.LEERRECHT_PROTOCOL, *preset_names()]
    for name in dict.fromkeys(names):
        try:
            protocol = protocol_load(name)
        except (ProtocolError, OSError):
            continue
        for route in protocol.routes.values():
            for step in route.steps:
                labels.setdefault(step.key, step.label)
        for step in protocol.escalation_steps:
            labels.setdefault(step.key, step.label)
    return labels


def code_label(value: str) -> str:
    """A stored code (a step key, a history entry's kind, a signal) as words people read;
    anything that is not such a code passes unchanged."""
    if not _CODE.fullmatch(value):
        return value
    if value in CASE_EVENT_LABELS:
        return str(CASE_EVENT_LABELS[value])
    from leerrecht.attendance.signal_labels import SIGNAL_LABELS

    if value in SIGNAL_LABELS:
        return str(SIGNAL_LABELS[value])
    return _step_labels().get(value) or value.replace("_", " ")
