"""Forms of the beheer workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leerrecht.accounts.models import Role
from leerrecht.api.scopes import SCOPES
from leerrecht.registry.models import Organisation

# Dutch descriptions of the API scopes (the ids stay in the API itself).
SCOPE_LABELS = {
    "students:read": _("leerlingen inzien"),
    "attendance:read": _("status van verzuimimports inzien"),
    "attendance:write": _("verzuimbestanden aanleveren"),
    "meldingen:read": _("meldingen inzien"),
    "meldingen:write": _("meldingen doen"),
    "signals:read": _("signalen inzien"),
    "cases:read": _("casussen en termijnen inzien"),
    "figures:read": _("cijfers inzien (geaggregeerd)"),
}


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Naam, gebruikersnaam of organisatie"), required=False)
    rol = forms.ChoiceField(
        label=_("Rol"), required=False, choices=[("", _("alle rollen")), *Role.choices]
    )


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("geen organisatie"),
    )
    reason = forms.CharField(
        label=_("Reden van de wijziging"),
        max_length=200,
        help_text=_("Komt in het auditlog, met de oude en de nieuwe waarde."),
    )


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Naam (waarvoor is dit token)"), max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.order_by("name")
    )
    role = forms.ChoiceField(label=_("Rol van het token"), choices=Role.choices)
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"),
        choices=[(s, SCOPE_LABELS.get(s, s)) for s in SCOPES],
        widget=forms.CheckboxSelectMultiple,
    )


class RetentionConfirmForm(forms.Form):
    """Carries the digest of the dry run the administrator saw: the purge only runs when
    the plan is still exactly that one."""

    plan = forms.CharField(widget=forms.HiddenInput)
