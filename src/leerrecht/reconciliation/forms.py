from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerrecht.reconciliation.models import ListKind, SourceKind

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))
    source_name = forms.CharField(
        label=_("Naam van de bron"),
        max_length=120,
        help_text=_(
            "Bijvoorbeeld 'SWV Passend Onderwijs Haaglanden'. De kolomkoppeling wordt per bron onthouden."
        ),
    )
    source_kind = forms.ChoiceField(label=_("Soort bron"), choices=SourceKind.choices)
    kind = forms.ChoiceField(label=_("Soort lijst"), choices=ListKind.choices)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 50 MB."))
        return f


class CompareForm(forms.Form):
    list_a = forms.ModelChoiceField(queryset=None, label=_("Lijst A"))
    list_b = forms.ModelChoiceField(queryset=None, label=_("Lijst B"))

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list_a"].queryset = lists
        self.fields["list_b"].queryset = lists


class AbsoluteVerzuimForm(forms.Form):
    register = forms.ModelChoiceField(queryset=None, label=_("Uittreksel bevolkingsregister"))
    reference_date = forms.DateField(label=_("Peildatum"), initial=timezone.localdate)

    def __init__(self, *args, registers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers
