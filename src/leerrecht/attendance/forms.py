from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leerrecht.attendance.signal_labels import SIGNAL_LABELS

DATE_INPUTS = ["%Y-%m-%d", "%d-%m-%Y"]


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Verzuimbestand"),
        help_text=_(
            "CSV of Parquet met één regel per leerling per schooldag en de kolommen "
            "leerlingnummer, datum, lesuren, ongeoorloofd, ziek en geoorloofd (uren); "
            "te laat en ziek naar huis mogen erbij. Als leerlingnummer gebruikt u het "
            "nummer uit uw leerlingadministratie (het staat bij de leerling onder "
            "'Leerlingnummer'), het BSN of het onderwijsnummer."
        ),
    )
    calendar = forms.FileField(
        label=_("Schoolkalender (optioneel)"),
        required=False,
        help_text=_(
            "Nodig als het bestand alleen dagen met verzuim bevat: een CSV met de kolom datum "
            "(elke schooldag)."
        ),
    )


class SignalFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=None, required=False, empty_label=_("Alle scholen")
    )
    signal = forms.ChoiceField(label=_("Signaal"), required=False)
    date_from = forms.DateField(
        label=_("Eerste dag vanaf"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("tot en met"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["signal"].choices = [("", _("Alle signalen"))] + [
            (k, v) for k, v in SIGNAL_LABELS.items() if k != "attendance_tier"
        ]


class AbsenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Verzuimregistraties"),
        help_text=_(
            "Export van de registraties uit het leerlingadministratiesysteem (CSV, Excel of "
            "JSON): Magister, absentiemeldingen uit SOMtoday of EduArte. De indeling wordt "
            "herkend aan de kolomnamen."
        ),
    )
    timetable = forms.FileField(
        label=_("Lesrooster (optioneel)"),
        required=False,
        help_text=_(
            "Begin- en eindtijden van de lesuren (TOML). Zonder rooster: het standaardrooster "
            "van de sector (vo: elk lesuur telt als één uur; po: klokuren)."
        ),
    )
    calendar = forms.FileField(
        label=_("Schoolkalender (optioneel)"),
        required=False,
        help_text=_(
            "CSV met de kolom date: elke schooldag. Vakanties en vrije dagen tellen dan niet mee."
        ),
    )


class AbsenceCodeFileForm(forms.Form):
    codes = forms.FileField(
        label=_("Codetabel inlezen"),
        help_text=_(
            "CSV met de kolommen code, omschrijving en categorie. Vervangt de hele codetabel."
        ),
    )


class AbsencePreviewForm(forms.Form):
    registrations = forms.FileField(
        label=_("Registratiebestand controleren"),
        help_text=_(
            "Laat zien hoeveel registraties elke code heeft en welke codes nog ontbreken. "
            "Er wordt niets opgeslagen."
        ),
    )
