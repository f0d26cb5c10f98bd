"""Dutch text for protocol changes and rules: what the history, the draft form and the
simulator show (no identifiers, no English; sources cited by document title)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerrecht.attendance.signal_labels import leads_to_label, signal_label
from leerrecht.engine.preset_diff import PresetChange
from leerrecht.engine.presets import Preset
from leerrecht.engine.protocol import duration_parse
from leerrecht.web.vocabulary import anchor_label, duration_text, param_label

AREA_LABELS = {
    "title": gettext_lazy("Titel"),
    "source": gettext_lazy("Bron"),
    "signals": gettext_lazy("Signalen"),
    "case_settings": gettext_lazy("Casusinstellingen"),
    "norms": gettext_lazy("Normen en kwartaaldoelen"),
    "routes": gettext_lazy("Routes en stappen"),
    "escalation": gettext_lazy("Opschalingsladder"),
    "closure": gettext_lazy("Afsluiten"),
    "thuiszitter_definitions": gettext_lazy("Definities thuiszitter"),
    "sector_presets": gettext_lazy("Protocol per sector"),
    "disclosure": gettext_lazy("Kleine aantallen afschermen"),
    "reconciliation": gettext_lazy("Afstemming van lijsten"),
}
FIELD_LABELS = {
    "due": gettext_lazy("termijn"),
    "earliest": gettext_lazy("vroegste moment"),
    "from": gettext_lazy("gerekend vanaf"),
    "target": gettext_lazy("streefwaarde"),
    "label": gettext_lazy("omschrijving"),
    "title": gettext_lazy("titel"),
    "source": gettext_lazy("bron"),
    "met_by": gettext_lazy("gehaald door"),
    "leads_to": gettext_lazy("leidt tot"),
    "note": gettext_lazy("toelichting"),
    "purpose": gettext_lazy("doel"),
    "participants": gettext_lazy("deelnemers"),
    "stagnation_days": gettext_lazy("stagnatie na (dagen)"),
    "report_again": gettext_lazy("opnieuw melden na"),
    "default_route": gettext_lazy("standaardroute"),
    "min_count": gettext_lazy("kleinste getoonde aantal"),
    "min_age": gettext_lazy("minimumleeftijd"),
    "max_age_exclusive": gettext_lazy("leeftijd tot"),
    "more_than_school_days": gettext_lazy("meer dan (schooldagen) zonder onderwijs"),
    "unauthorised_share_above": gettext_lazy("aandeel ongeoorloofd meer dan"),
    "steps": gettext_lazy("stappen"),
    "close_when_share_above": gettext_lazy("afsluiten boven aandeel aanwezig"),
}


def value_text(path: str, value: object) -> str:
    """A rule's value in Dutch: durations, shares as percentages, follow-up labels."""
    if value is None:
        return "—"
    field = path.rsplit(".", 1)[-1]
    if isinstance(value, tuple):
        if field == "leads_to":
            return ", ".join(str(leads_to_label(v)) for v in value) or "—"
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if field == "target" and isinstance(value, int | float):
        return f"{round(100 * value)}%"
    if field == "from" and isinstance(value, str):
        return anchor_label(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str) and field in ("due", "earliest", "report_again"):
        try:
            return duration_text(duration_parse(value))
        except ValueError:
            return value
    return str(value)


def _step_label(preset: Preset, route: str, key: str) -> str:
    protocol = preset.protocol
    if protocol is None:
        return ""
    if route == "escalation":
        step = next((s for s in protocol.escalation_steps if s.key == key), None)
    else:
        found = protocol.routes.get(route)
        step = found.step(key) if found else None
    return step.label if step else ""


def change_subject(change: PresetChange, before: Preset, after: Preset) -> str:
    """What a change is about, e.g. "Meer dan 16 uur ... — meer dan (uur)"."""
    parts = change.path.split(".")
    area = str(AREA_LABELS.get(parts[0], _("Overige instelling")))
    field = str(FIELD_LABELS.get(parts[-1], param_label(parts[-1])))
    if parts[0] == "signals" and len(parts) >= 3:
        label = (
            str(FIELD_LABELS.get(parts[2])) if parts[2] in FIELD_LABELS else param_label(parts[2])
        )
        return f"{signal_label(parts[1])} — {label}"
    if parts[0] == "norms" and len(parts) >= 3:
        norm = next(
            (
                n
                for p in (after, before)
                if p.protocol
                for n in p.protocol.norms
                if n.key == parts[1]
            ),
            None,
        )
        return f"{area}: {norm.label if norm else _('norm')} — {field}"
    if parts[0] == "routes" and len(parts) >= 5:
        step = _step_label(after, parts[1], parts[3]) or _step_label(before, parts[1], parts[3])
        return f"{area}: {step or _('stap')} — {field}"
    if parts[0] == "escalation" and len(parts) >= 3 and parts[1] == "municipalities":
        from leerrecht.registry.models import Municipality

        place = Municipality.objects.filter(cbs_code=parts[2]).values_list("name", flat=True)
        return f"{area}: {place.first() or _('een gemeente')} — {field}"
    if parts[0] == "escalation" and len(parts) >= 4 and parts[1] == "steps":
        step = _step_label(after, "escalation", parts[2]) or _step_label(
            before, "escalation", parts[2]
        )
        return f"{area}: {step or _('stap')} — {field}"
    if len(parts) == 1:
        return area
    return f"{area} — {field}"


def _ladder_text(value: object, before: Preset, after: Preset) -> str:
    """Ladder step keys of a municipality as the steps' names."""
    if not isinstance(value, tuple):
        return value_text("", value)
    labels = {
        s.key: s.label for p in (before, after) if p.protocol for s in p.protocol.escalation_steps
    }
    return "; ".join(labels.get(k, str(_("stap"))) for k in value)


KIND_LABELS = {
    "added": gettext_lazy("toegevoegd"),
    "removed": gettext_lazy("vervallen"),
    "changed": gettext_lazy("gewijzigd"),
}


def change_rows(changes: list[PresetChange], before: Preset, after: Preset) -> list[dict]:
    rows = []
    for c in changes:
        if c.path.startswith("escalation.municipalities.") and c.path.endswith(".steps"):
            old, new = _ladder_text(c.before, before, after), _ladder_text(c.after, before, after)
        else:
            old, new = value_text(c.path, c.before), value_text(c.path, c.after)
        rows.append(
            {
                "subject": change_subject(c, before, after),
                "kind": str(KIND_LABELS[c.kind]),
                "before": old,
                "after": new,
            }
        )
    return rows


_LOADER_PLACE = re.compile(
    r"^(?P<file>[^:]+?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<rest>.*)$", re.S
)


def loader_message_text(message: str) -> str:
    """A loader (engine/presets.py) message in Dutch for the web: file, line and column
    kept, the English detail replaced by the kind of problem (ADR 0194)."""
    found = _LOADER_PLACE.match(message)
    if found is None:
        return str(_("Dit bestand voldoet niet aan de regels voor een protocol."))
    place = found["file"]
    if found["line"]:
        place = _("%(file)s, regel %(line)s, kolom %(column)s") % {
            "file": found["file"],
            "line": found["line"],
            "column": found["column"],
        }
    if "not valid TOML" in found["rest"]:
        return _("%(place)s: dit is geen geldig TOML-bestand.") % {"place": place}
    return _("%(place)s: dit voldoet niet aan de regels voor een protocol.") % {"place": place}
