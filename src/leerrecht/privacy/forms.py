from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import ACTIVITIES

_TEXT = {"class": "utrecht-textbox"}
_SELECT = {"class": "utrecht-select"}


class AuditSearchForm(forms.Form):
    user = forms.CharField(
        label=_("Gebruiker"), required=False, max_length=150, widget=forms.TextInput(_TEXT)
    )
    child = forms.CharField(
        label=_("Leerling (BSN, onderwijsnummer of id)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(_TEXT),
    )
    date_from = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}),
    )
    activity = forms.ChoiceField(
        label=_("Verwerkingsactiviteit"),
        required=False,
        choices=[("", _("alle"))] + [(k, f"{k} — {v}") for k, v in ACTIVITIES.items()],
        widget=forms.Select(_SELECT),
    )
    action = forms.ChoiceField(
        label=_("Handeling"),
        required=False,
        choices=[("", _("alle")), *AuditEvent.Action.choices],
        widget=forms.Select(_SELECT),
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        required=False,
        choices=[("", _("alle")), *AuditEvent.Outcome.choices],
        widget=forms.Select(_SELECT),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return cleaned


class SubjectLookupForm(forms.Form):
    child = forms.CharField(
        label=_("Leerling (BSN, onderwijsnummer of id)"),
        max_length=64,
        widget=forms.TextInput(_TEXT),
    )
