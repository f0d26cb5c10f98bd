"""Dutch labels for signal ids and follow-up actions (the one mapping the UI uses).

Labels describe the catalogue defaults (SIGNALS.md); a preset may change a threshold, in
which case the label still names the rule and the detail column shows the actual value.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

SIGNAL_LABELS = {
    "unauthorised_16h_4w": _("Meer dan 16 uur ongeoorloofd verzuim in 4 schoolweken"),
    "late_9x": _("9 keer te laat in dit schooljaar"),
    "preventive_10h_4w": _("10 uur ongeoorloofd verzuim in 4 schoolweken (preventief)"),
    "sick_short_spells_3x_2m": _("3 of meer korte ziekmeldingen (1-2 dagen) in 2 maanden"),
    "sick_long_spell_10d": _("Meer dan 10 schooldagen aaneengesloten ziek"),
    "sick_spell_7th_day": _("7e schooldag aaneengesloten ziek (M@ZL)"),
    "sick_days_4_1m": _("Meer dan 4 ziektedagen in een maand, over minstens 2 ziekmeldingen"),
    "sent_home_sick_repeated": _("3 of meer keer ziek naar huis in 2 maanden"),
    "sick_4th_report_12w": _("4e ziekmelding binnen 12 schoolweken"),
    "sick_50h_spell": _("Meer dan 50 uur ziek in één ziekteperiode"),
    "under_50pct_4w": _(
        "Minder dan 50% aanwezig in 4 schoolweken, vooral geoorloofd (risicoleerling)"
    ),
    "absent_4w_consecutive": _("4 schoolweken aaneengesloten niet op school"),
    "thuiszitter_inspectie": _("Thuiszitter: meer dan 4 weken geen onderwijs, vooral ongeoorloofd"),
    "attendance_tier": _("Aanwezigheidsniveau (niveau 1, 2 of 3)"),
}

# Attendance tiers after Kearney's multi-tiered model (seed 002, "Kearney pyramid"): the
# share of time attended puts a pupil on one of three levels.
TIER_LABELS = {
    1: _("niveau 1 - op koers"),
    2: _("niveau 2 - aandacht"),
    3: _("niveau 3 - zorgelijk"),
}

LEADS_TO_LABELS = {
    "report_duo": _("melden bij DUO"),
    "report_leerplicht": _("melden bij leerplicht"),
    "jgz": _("jeugdgezondheidszorg inschakelen"),
    "swv_list": _("lijst samenwerkingsverband"),
    "open_case": _("casus openen"),
}

# What the engine's `value` detail column means per signal (unit for display).
VALUE_LABELS = {
    "unauthorised_16h_4w": _("uur ongeoorloofd in het venster"),
    "preventive_10h_4w": _("uur ongeoorloofd in het venster"),
    "late_9x": _("keer te laat"),
    "sick_short_spells_3x_2m": _("korte ziekmeldingen"),
    "sick_days_4_1m": _("ziektedagen"),
    "sent_home_sick_repeated": _("keer ziek naar huis"),
    "sick_4th_report_12w": _("ziekmeldingen"),
    "sick_50h_spell": _("uur ziek in deze periode"),
    "under_50pct_4w": _("deel van de uren aanwezig"),
}


def signal_label(signal_id: str) -> str:
    return str(SIGNAL_LABELS.get(signal_id, signal_id))


def tier_label(tier: object) -> str:
    try:
        return str(TIER_LABELS[int(tier)])
    except (KeyError, TypeError, ValueError):
        return str(_("niveau onbekend"))


def leads_to_label(item: str) -> str:
    return str(LEADS_TO_LABELS.get(item, item))


def signal_run_start(details: dict) -> dt.date | None:
    """The first day of the absence behind a signal (engine.runs), when it is known."""
    try:
        return dt.date.fromisoformat(details.get("run_start") or "")
    except (TypeError, ValueError):
        return None


def signal_details_text(signal_id: str, details: dict) -> str:
    """A short Dutch description of the engine's detail columns, e.g. '17 uur ongeoorloofd'."""
    parts = []
    value = details.get("value")
    if value is not None and signal_id in VALUE_LABELS:
        if signal_id == "under_50pct_4w":
            parts.append(f"{round(100 * float(value))}% {_('aanwezig')}")
        else:
            shown = f"{float(value):.1f}".replace(".", ",").removesuffix(",0")
            parts.append(f"{shown} {VALUE_LABELS[signal_id]}")
    if details.get("spell_length"):
        parts.append(f"{details['spell_length']} {_('schooldagen ziek')}")
    if details.get("tier"):
        parts.append(tier_label(details["tier"]))
    return "; ".join(parts)
