"""Forms of the protocol studio. The draft form offers the values a functional
administrator changes most (signal thresholds, route step deadlines, norms and their
targets, the escalation ladder's deadlines); what it writes is validated by the one
preset loader, exactly like a file (services.protocol_draft_update)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from leerrecht.attendance.signal_labels import signal_label
from leerrecht.engine.catalogue import CATALOGUE
from leerrecht.engine.presets import Preset, preset_load, preset_names
from leerrecht.engine.protocol import UNITS, Duration
from leerrecht.protocols.editing import toml_value_set
from leerrecht.protocols.labels import FIELD_LABELS, loader_message_text
from leerrecht.registry.models import Municipality
from leerrecht.web.vocabulary import DURATION_UNITS, param_label

UNIT_CHOICES = [(u, DURATION_UNITS[u][1]) for u in UNITS]
_INTEGER_KINDS = {"window", "int_gt", "int_ge"}
# What the loader allows, per kind of value (engine/catalogue.py _CHECKS), in Dutch.
ALLOWED_TEXT = {
    "window": _("een heel aantal schooldagen, minstens 1"),
    "int_gt": _("een heel getal, 0 of meer"),
    "int_ge": _("een heel getal, minstens 1"),
    "num_gt": _("een getal, 0 of meer"),
    "num_ge": _("een getal groter dan 0"),
    "share_lt": _("een aandeel groter dan 0 en hoogstens 1"),
    "share_gt": _("een aandeel van 0 tot (niet tot en met) 1"),
    "rate": _("een aandeel van 0 tot en met 1"),
    "duration": _("een termijn van minstens 1"),
    "share": _("een percentage groter dan 0 en hoogstens 100"),
}


@dataclass(frozen=True, slots=True)
class Target:
    """Where a form field's value goes in the TOML text, and the loader path it has."""

    table: str
    key: str
    index: int | None
    path: str  # the loader's name for it, e.g. signals.late_9x.at_least_times
    kind: str  # "number" | "duration" | "share"
    group: str  # the fieldset it is shown in
    allowed: str = ""  # what the loader accepts, in Dutch


class DraftForm(forms.Form):
    revision = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reden van de wijziging"),
        max_length=300,
        help_text=_("Komt in de versiegeschiedenis en het auditlog."),
    )

    def __init__(self, *args, preset: Preset, **kwargs):
        super().__init__(*args, **kwargs)
        self.preset = preset
        self.targets: dict[str, Target] = {}
        self.groups: list[tuple[str, list[str]]] = []
        self._signals()
        protocol = preset.protocol
        if protocol is not None:
            for norm in protocol.norms:
                name = f"norm_{norm.key}"
                self._duration(name, f"norms.{norm.key}", None, norm.due, norm.label, _("Normen"))
                if norm.target is not None:
                    self.fields[f"{name}_target"] = forms.IntegerField(
                        label=_("%(norm)s — streefwaarde (%%)") % {"norm": norm.label},
                        initial=round(100 * norm.target),
                    )
                    self._add(
                        f"{name}_target",
                        Target(
                            f"norms.{norm.key}",
                            "target",
                            None,
                            f"norms.{norm.key}.target",
                            "share",
                            _("Normen"),
                        ),
                    )
            for route in protocol.routes.values():
                for i, step in enumerate(route.steps):
                    if step.due is not None:
                        self._duration(
                            f"route_{route.key}_{i}",
                            f"routes.{route.key}.steps",
                            i,
                            step.due,
                            f"{route.title}: {step.label}",
                            _("Routes en stappen"),
                        )
            for i, step in enumerate(protocol.escalation_steps):
                self._duration(
                    f"ladder_{i}",
                    "escalation.steps",
                    i,
                    step.due,
                    step.label,
                    _("Opschalingsladder"),
                )
            self._ladders(protocol)
        self._definitions()
        self._sectors()

    def _add(self, name: str, target: Target) -> None:
        self.targets[name] = target
        for group, names in self.groups:
            if group == target.group:
                names.append(name)
                return
        self.groups.append((target.group, [name]))

    def _signals(self) -> None:
        for signal in self.preset.signals:
            specs = {p.name: p for p in CATALOGUE[signal.id].params}
            for key, value in signal.params.items():
                name = f"signal_{signal.id}_{key}"
                label = f"{signal_label(signal.id)} — {param_label(key)}"
                if specs[key].kind in _INTEGER_KINDS:
                    field = forms.IntegerField(label=label, initial=int(value))
                else:
                    shown = int(value) if float(value).is_integer() else value
                    field = forms.DecimalField(label=label, initial=shown, decimal_places=2)
                self.fields[name] = field
                self._add(
                    name,
                    Target(
                        f"signals.{signal.id}",
                        key,
                        None,
                        f"signals.{signal.id}.{key}",
                        "number",
                        _("Signalen en drempels"),
                        str(ALLOWED_TEXT[specs[key].kind]),
                    ),
                )

    def _ladders(self, protocol) -> None:
        """Which ladder steps each municipality takes (seed 004, Bijlage 1)."""
        names = dict(Municipality.objects.values_list("cbs_code", "name"))
        choices = [(s.key, s.label) for s in protocol.escalation_steps]
        for code, (keys, _registered, _participants) in protocol.escalation_by_municipality.items():
            name = f"municipality_{code}"
            self.fields[name] = forms.MultipleChoiceField(
                label=_("Stappen in %(m)s") % {"m": names.get(code, _("een gemeente"))},
                choices=choices,
                initial=list(keys),
                widget=forms.CheckboxSelectMultiple,
            )
            table = f"escalation.municipalities.{code}"
            self._add(
                name,
                Target(
                    table,
                    "steps",
                    None,
                    f"{table}.steps",
                    "list",
                    _("Opschalingsladder per gemeente"),
                    str(_("minstens één stap")),
                ),
            )

    def _definitions(self) -> None:
        """The thuiszitter definitions' own thresholds (not those a signal states)."""
        table = self.preset.extra.get("thuiszitter_definitions", {})
        for key, value in table.items():
            name = f"definition_{key}"
            label = str(FIELD_LABELS.get(key, key))
            if isinstance(value, int):
                self.fields[name] = forms.IntegerField(label=label, initial=value)
            else:
                self.fields[name] = forms.DecimalField(label=label, initial=value, decimal_places=2)
            self._add(
                name,
                Target(
                    "thuiszitter_definitions",
                    key,
                    None,
                    f"thuiszitter_definitions.{key}",
                    "number",
                    _("Definities thuiszitter"),
                    str(_("een getal, 0 of meer")),
                ),
            )

    def _sectors(self) -> None:
        """Which protocol applies to the schools of each sector (ADR 0110)."""
        table = self.preset.extra.get("sector_presets", {})
        choices = [(n, preset_load(name_or_path=n).title) for n in preset_names()]
        for sector, preset_name in table.items():
            name = f"sector_{sector}"
            self.fields[name] = forms.ChoiceField(
                label=_("Protocol voor scholen in sector %(s)s") % {"s": sector.upper()},
                choices=choices,
                initial=preset_name,
                widget=forms.RadioSelect,  # long protocol titles wrap on a phone
            )
            self._add(
                name,
                Target(
                    "sector_presets",
                    sector,
                    None,
                    f"sector_presets.{sector}",
                    "text",
                    _("Protocol per sector"),
                    str(_("een bestaand protocol")),
                ),
            )

    def _duration(self, name, table, index, due: Duration, label, group) -> None:
        self.fields[f"{name}_due"] = forms.IntegerField(
            label=_("%(what)s — termijn") % {"what": label}, initial=due.amount
        )
        self.fields[f"{name}_unit"] = forms.ChoiceField(
            label=_("%(what)s — eenheid") % {"what": label}, choices=UNIT_CHOICES, initial=due.unit
        )
        where = f"{table}[{index}]" if index is not None else table
        self._add(f"{name}_due", Target(table, "due", index, f"{where}.due", "duration", group))

    def content(self, text: str) -> str:
        """`text` with every changed value written in (call after is_valid())."""
        data = self.cleaned_data
        for name, target in self.targets.items():
            if target.kind == "duration":
                unit_name = name.removesuffix("_due") + "_unit"
                new = f"{data[name]} {data[unit_name]}"
                old = f"{self.fields[name].initial} {self.fields[unit_name].initial}"
            elif target.kind == "share":
                new, old = data[name] / 100, self.fields[name].initial / 100
            elif target.kind == "list":
                order = [key for key, _label in self.fields[name].choices]
                new = sorted(data[name], key=order.index)
                old = list(self.fields[name].initial)
            elif target.kind == "text":
                new, old = data[name], self.fields[name].initial
            else:
                new, old = data[name], self.fields[name].initial
                new = int(new) if float(new).is_integer() else float(new)
            if new != old:
                text = toml_value_set(
                    text, table=target.table, key=target.key, value=new, index=target.index
                )
        return text

    def bound_groups(self) -> list[tuple[str, list]]:
        """The fields per fieldset, each deadline's unit right after its number."""
        out = []
        for label, names in self.groups:
            fields = []
            for name in names:
                fields.append(self[name])
                if self.targets[name].kind == "duration":
                    fields.append(self[name.removesuffix("_due") + "_unit"])
            out.append((label, fields))
        return out

    def refuse(self, message: str, *, from_loader: bool = False) -> None:
        """Put a loader message ("<file>:<line>:<col>: <path> ...") on the field it is
        about, in Dutch; a message about no field of the form goes above the form."""
        rest = message.split(": ", 1)[1] if ": " in message else message
        path = rest.split(" ", 1)[0].rstrip(":")
        for name, target in sorted(self.targets.items(), key=lambda kv: -len(kv[1].path)):
            if path.startswith(target.path):
                allowed = target.allowed or str(ALLOWED_TEXT[target.kind])
                self.add_error(name, _("Niet toegestaan: kies %(allowed)s.") % {"allowed": allowed})
                return
        self.add_error(
            None,
            _("Deze wijziging past niet in het protocol; er is niets opgeslagen. (%(detail)s)")
            % {"detail": loader_message_text(message) if from_loader else message},
        )


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lopende casussen houden hun termijnen tot de nieuwe regels worden toegepast."),
    )
    reason = forms.CharField(
        label=_("Toelichting bij de publicatie"), max_length=300, required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Protocolbestand (TOML)"))
    reason = forms.CharField(label=_("Reden van de wijziging"), max_length=300)


class SimulateForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Door te rekenen"))
    current = forms.ChoiceField(label=_("Vergelijken met"))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = choices
        self.fields["current"].choices = choices
