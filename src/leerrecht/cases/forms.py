"""Forms of the case workflow. Labels are Dutch (ADR 0002); every field has a label."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerrecht.cases.models import (
    Case,
    CaseStatus,
    ClosureReason,
    ConsentPurpose,
    ConsentStatus,
    Contact,
    DuoAbsenceKind,
    DuoStatus,
    EnforcementStep,
    Offer,
    PlanAction,
    SicknessReason,
    Suitability,
    Voice,
    WaitingList,
)
from leerrecht.privacy.query import CHILD_ROLES
from leerrecht.registry.models import Organisation, OrganisationKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


#: Longest free text on a melding (a page of text; more is almost always a paste error).
NOTE_MAX_LENGTH = 4000


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


YES_NO = [("", _("onbekend")), ("true", _("ja")), ("false", _("nee"))]


def yes_no_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _users():
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=sorted(CHILD_ROLES))
        .exclude(organisation=None)
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.organisation.name})" if obj.organisation else name


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.date_of_birth:%d-%m-%Y})"


class StudentMixin(forms.Form):
    def __init__(self, *args, students=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"] = StudentChoiceField(
            label=_("Leerling"), queryset=students.order_by("surname", "given_names", "pk")
        )
        self.order_fields(["student"])


# --------------------------------------------------------------------------- meldingen


class SicknessMeldingForm(StudentMixin):
    """Aanmeldformulier ziekteverzuim (seed 000, Afbeelding 1), field for field."""

    reported_on = date_field(_("Datum"))
    school_group = forms.CharField(label=_("Groep / klas"), required=False, max_length=40)
    teacher = forms.CharField(label=_("Naam leerkracht / IB-er"), required=False, max_length=200)
    reasons = forms.MultipleChoiceField(
        label=_("Reden van aanmelding (verzuimoverzicht toevoegen)"),
        choices=SicknessReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    discussed_with_parents = forms.BooleanField(
        label=_("Onderstaande informatie is met ouders besproken"), required=False
    )
    q1_earlier_reports = forms.CharField(
        label=_("1. Zijn er eerdere ziekmeldingen geweest en is hier een patroon in te ontdekken?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    q2_parents_reason = forms.CharField(
        label=_("2. Wat is volgens ouders de reden van de ziekmelding(en)?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    under_care = yes_no_field(_("3. Is de leerling onder controle van de huisarts/specialist?"))
    care_provider = forms.CharField(label=_("Zo ja, bij wie?"), required=False, max_length=200)
    diagnosis_known = yes_no_field(_("Is er een diagnose gesteld/bekend?"))
    diagnosis = forms.CharField(
        label=_("Diagnose (alleen zichtbaar voor de jeugdarts)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    q4_worries = forms.CharField(
        label=_("4. Is er sprake van probleemgedrag en/of zijn er zorgen over de thuissituatie?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    q5_neighbourhood_team = yes_no_field(
        _("5. Is het wijkteam betrokken bij de leerling/het gezin?")
    )
    q6_other_absence = forms.CharField(
        label=_("6. Zijn er andere vormen van verzuim (spijbelen, te laat komen)? Zo ja, welke?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    q6_leerplicht_involved = yes_no_field(_("Is de leerplichtambtenaar betrokken?"))
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    signal_hit_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    MEDICAL_FIELDS = ("under_care", "care_provider", "diagnosis_known", "diagnosis")

    def __init__(self, *args, sector: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if sector in ("vo", "vso", "mbo"):  # secondary schools have classes and mentors
            self.fields["school_group"].label = _("Klas")
            self.fields["teacher"].label = _("Naam mentor / zorgcoördinator")


class SchoolActionForm(forms.Form):
    """Question 7: which actions did the school take (with date)? Result?"""

    taken_on = date_field(_("Datum"), required=False)
    action = forms.CharField(label=_("Actie"), required=False, max_length=300)
    result = forms.CharField(label=_("Resultaat"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("action") and not data.get("taken_on"):
            self.add_error("taken_on", _("Vul de datum van deze actie in."))
        return data


SchoolActionFormSet = forms.formset_factory(SchoolActionForm, extra=3, max_num=10)


class DuoMeldingForm(StudentMixin):
    duo_kind = forms.ChoiceField(
        label=_("Verzuimsoort"), choices=DuoAbsenceKind.choices, widget=forms.RadioSelect
    )
    reported_on = date_field(_("Datum melding"))
    period_start = date_field(_("Verzuim vanaf"))
    period_end = date_field(
        _("Verzuim tot en met"),
        required=False,
        help_text=_("Nodig bij langdurig relatief verzuim zodra het verzuim eindigt."),
    )
    hours = forms.DecimalField(
        label=_("Verzuimde uren"), required=False, min_value=0, max_digits=6, decimal_places=1
    )
    absence_continues = forms.BooleanField(
        label=_("Het verzuim houdt aan (maandelijks opnieuw melden)"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als later dan 5 schooldagen wordt gemeld: waarom later?"),
    )
    # The other fields of the annex of the Besluit verzuimmelding.
    absence_days = forms.IntegerField(label=_("Verzuimdagen"), required=False, min_value=0)
    all_lessons_missed = yes_no_field(_("Alle lessen gemist"))
    suspected_reason = forms.CharField(
        label=_("Vermoedelijke reden van het verzuim"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    school_action = forms.CharField(
        label=_("Actie door school"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    municipality_action_wanted = yes_no_field(_("Actie gemeente gewenst"))
    municipality_action_note = forms.CharField(
        label=_("Toelichting gewenste actie gemeente"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lesson_location = forms.CharField(label=_("Leslocatie"), required=False, max_length=200)
    reporter_name = forms.CharField(label=_("Naam melder"), required=False, max_length=200)
    reporter_function = forms.CharField(label=_("Functie melder"), required=False, max_length=200)
    reporter_phone = forms.CharField(label=_("Telefoon melder"), required=False, max_length=40)
    reporter_email = forms.EmailField(label=_("E-mail melder"), required=False)
    contact_phone = forms.CharField(
        label=_("Telefoon ouder/verzorger of leerling"), required=False, max_length=40
    )
    other_address = forms.CharField(
        label=_("Adres, als het afwijkt van de basisregistratie personen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signal_first_date = forms.DateField(required=False, widget=forms.HiddenInput)
    signal_hit_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    signal_id = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("De einddatum ligt voor de begindatum."))
        today = timezone.localdate()
        for name, message in (
            ("reported_on", _("De datum van de melding kan niet in de toekomst liggen.")),
            ("period_start", _("Het verzuim kan niet in de toekomst beginnen.")),
            ("period_end", _("Het verzuim kan niet in de toekomst eindigen.")),
        ):
            if data.get(name) and data[name] > today:
                self.add_error(name, message)
        hours = data.get("hours")
        # Leerplichtwet art. 21a (seed 001, 1.2): "16 uur in 4 weken" means more than 16 hours.
        if data.get("duo_kind") == DuoAbsenceKind.H16_4W and (hours is None or hours <= 16):
            self.add_error(
                "hours",
                _("Bij '16 uur in 4 weken' vult u het aantal verzuimde uren in: meer dan 16."),
            )
        reported, base = data.get("reported_on"), data.get("signal_first_date") or start
        if reported and base and not (data.get("note") or "").strip():
            from leerrecht.cases.duo import duo_report_deadline

            deadline = duo_report_deadline(base)
            if reported > deadline:
                self.add_error(
                    "note",
                    _(
                        "De meldtermijn van 5 schooldagen is verstreken (uiterlijk %(date)s). "
                        "Leg uit waarom later wordt gemeld."
                    )
                    % {"date": f"{deadline:%d-%m-%Y}"},
                )
        if data.get("municipality_action_wanted") and not data.get("municipality_action_note"):
            self.add_error(
                "municipality_action_note", _("Licht toe welke actie van de gemeente gewenst is.")
            )
        return data


class SignalMeldingForm(forms.Form):
    signal_id = forms.CharField(label=_("Signaal"), max_length=40)
    first_date = date_field(_("Eerste datum signaal"))
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DuoFeedbackForm(forms.Form):
    file = forms.FileField(
        label=_("Antwoordbestand van de gemeente"),
        help_text=_(
            "CSV of JSON met per melding: kenmerk, status, reden, toelichting en contact. "
            "Hetzelfde bestand nog eens inlezen verandert niets."
        ),
    )


class DuoStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    duo_status = forms.ChoiceField(label=_("Status (DUO)"), choices=DuoStatus.choices)
    absence_continues = forms.BooleanField(label=_("Het verzuim houdt aan"), required=False)
    period_end = date_field(_("Verzuim tot en met"), required=False)


class ConsentForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Antwoord van ouders"), choices=ConsentStatus.choices, widget=forms.RadioSelect
    )
    asked_on = date_field(_("Gevraagd op"))
    guardian = forms.ModelChoiceField(
        label=_("Ouder/verzorger"), queryset=None, required=False, empty_label=_("(anders)")
    )
    parent_name = forms.CharField(
        label=_("Naam ouder/verzorger (als niet in de lijst)"), required=False, max_length=200
    )
    purposes = forms.MultipleChoiceField(
        label=_("Toestemming voor"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    decided_on = date_field(_("Antwoord gegeven op"), required=False)
    discussed = forms.CharField(
        label=_("Wat is met ouders besproken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, student=None, **kwargs):
        super().__init__(*args, **kwargs)
        guardians = student.guardians.order_by("pk")
        self.fields["guardian"].queryset = guardians
        # One guardian registered: it is that parent who answers (ADR 0113); with two or
        # more the user chooses, "(anders)" stays for a parent who is not registered.
        if "guardian" not in self.initial and len(guardians[:2]) == 1:
            self.initial["guardian"] = guardians[0]

    def clean(self):
        data = super().clean()
        if (
            data.get("status") not in (None, ConsentStatus.PENDING)
            and not data.get("guardian")
            and not data.get("parent_name")
        ):
            self.add_error("guardian", _("Kies welke ouder/verzorger heeft geantwoord."))
        return data


# --------------------------------------------------------------------------- cases


class CaseOpenForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"))
    anchor_date = date_field(
        _("Eerste datum zorgwekkend verzuim"),
        help_text=_("Termijnen van de opschalingsroute tellen vanaf deze datum."),
    )
    regiehouder = forms.ModelChoiceField(
        label=_("Regiehouder (organisatie)"), queryset=Organisation.objects.none()
    )
    casusverantwoordelijke = UserChoiceField(label=_("Casusverantwoordelijke"), queryset=None)
    procesregisseur = UserChoiceField(
        label=_("Procesregisseur (optioneel)"), queryset=None, required=False
    )

    def __init__(self, *args, protocol=None, student=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(k, r.title) for k, r in protocol.routes.items()]
        self.fields["regiehouder"].queryset = Organisation.objects.exclude(
            kind=OrganisationKind.OPERATOR
        ).order_by("kind", "name")
        _case_holder_fields(self, student)

    def clean(self):
        data = super().clean()
        _case_holders_fit_route(self, data, data.get("route"))
        return data


def _case_holder_fields(form, student, *, route_key: str | None = None, keep=()) -> None:
    """Owner lists hold only people who can hold a case about this child (ADR 0112); an
    edit keeps the current owners selectable (`keep`) so an unrelated change still saves."""
    from leerrecht.cases.query import case_holder_allowed_on_route, case_holders_for

    holders = case_holders_for(student)
    ids = [u.pk for u in holders if route_key is None or case_holder_allowed_on_route(u, route_key)]
    holders = (
        get_user_model()
        .objects.filter(pk__in=[*ids, *(pk for pk in keep if pk)])
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )
    for name in ("casusverantwoordelijke", "procesregisseur"):
        form.fields[name].queryset = holders


def _case_holders_fit_route(form, data: dict, route_key: str | None) -> None:
    from leerrecht.cases.query import case_holder_allowed_on_route

    for name in ("casusverantwoordelijke", "procesregisseur"):
        user = data.get(name)
        if user is not None and route_key and not case_holder_allowed_on_route(user, route_key):
            form.add_error(
                name,
                _("De jeugdarts kan alleen een casus op de route ziekteverzuim houden."),
            )


class CaseEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    casusverantwoordelijke = UserChoiceField(label=_("Casusverantwoordelijke"), queryset=None)
    procesregisseur = UserChoiceField(label=_("Procesregisseur"), queryset=None, required=False)

    class Meta:
        model = Case
        fields = [
            "regiehouder",
            "casusverantwoordelijke",
            "procesregisseur",
            "anchor_date",
            "cause",
            "cause_note",
            "daytime_activity",
            "stagnation_cause",
        ]
        widgets = {
            "anchor_date": DateInput(),
            "cause_note": forms.Textarea(attrs={"rows": 2}),
            "stagnation_cause": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance
        _case_holder_fields(
            self,
            case.student,
            route_key=case.route,
            keep=(case.casusverantwoordelijke_id, case.procesregisseur_id),
        )
        self.fields["regiehouder"].queryset = Organisation.objects.exclude(
            kind=OrganisationKind.OPERATOR
        ).order_by("kind", "name")
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class PhaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    phase = forms.ChoiceField(label=_("Fase / stap van de route"))
    on = date_field(_("Sinds"))

    def __init__(self, *args, route=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [(s.key, s.label) for s in route.steps]


class ProtocolApplyForm(forms.Form):
    """ "De nieuwe regels toepassen": only the case's version, against a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=CaseStatus.choices)
    on = date_field(_("Datum"), required=False)
    reason = forms.ChoiceField(
        label=_("Reden van afsluiting"),
        choices=[("", "—"), *ClosureReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("to_status") == CaseStatus.CLOSED and not data.get("reason"):
            self.add_error("reason", _("Kies een reden van afsluiting."))
        return data


class PlanActionForm(forms.Form):
    who = forms.CharField(label=_("Wie"), max_length=200)
    what = forms.CharField(label=_("Wat"), max_length=500)
    due_on = date_field(_("Uiterlijk op"))


class PlanActionStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort contact"), choices=Contact.Kind.choices)
    occurred_on = date_field(_("Datum"))
    participants = forms.CharField(label=_("Deelnemers"), required=False, max_length=500)
    with_student = forms.BooleanField(label=_("Met de leerling"), required=False)
    with_parents = forms.BooleanField(label=_("Met ouders/verzorgers"), required=False)
    summary = forms.CharField(
        label=_("Verslag"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(
        label=_("Uitkomst / afspraken"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if not any((data.get(k) or "").strip() for k in ("summary", "outcome")):
            self.add_error(
                "summary",
                _("Vul in wat er besproken of afgesproken is (verslag of uitkomst)."),
            )
        return data


class VoiceForm(forms.Form):
    who = forms.ChoiceField(label=_("Wie"), choices=Voice.Who.choices, widget=forms.RadioSelect)
    recorded_on = date_field(_("Datum"))
    text = forms.CharField(
        label=_("Wat zegt de leerling / zeggen de ouders"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort aanbod"), choices=Offer.Kind.choices)
    offered_on = date_field(_("Datum aanbod"))
    description = forms.CharField(label=_("Omschrijving"), required=False, max_length=300)
    child_suitable = forms.ChoiceField(
        label=_("Vindt de leerling het passend?"),
        choices=Suitability.choices,
        widget=forms.RadioSelect,
        initial=Suitability.UNKNOWN,
    )
    parents_suitable = forms.ChoiceField(
        label=_("Vinden de ouders het passend?"),
        choices=Suitability.choices,
        widget=forms.RadioSelect,
        initial=Suitability.UNKNOWN,
    )


class EnforcementForm(forms.Form):
    route = forms.ChoiceField(label=_("Route (MAS)"), choices=EnforcementStep.Route.choices)
    taken_on = date_field(_("Datum"))
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalationForm(forms.Form):
    step = forms.ChoiceField(label=_("Opschalingsstap"))
    taken_on = date_field(_("Datum"))
    outcome = forms.CharField(
        label=_("Uitkomst"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, ladder=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.key, s.label) for s in ladder]


class EducationShareForm(forms.Form):
    measured_on = date_field(_("Datum"))
    percentage = forms.IntegerField(
        label=_("Percentage onderwijs gevolgd"), min_value=0, max_value=100
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)


class WaitingListForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort wachtlijst"), choices=WaitingList.Kind.choices)
    provider = forms.CharField(label=_("Voor welk aanbod / welke aanbieder"), max_length=200)
    since = date_field(_("Sinds"))


class ParticipantForm(forms.Form):
    participant = UserChoiceField(label=_("Betrokkene"), queryset=None)
    role = forms.CharField(label=_("Rol in de casus"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = _users()


class MedicalNoteForm(forms.Form):
    written_on = date_field(_("Datum"))
    note = forms.CharField(label=_("Medische notitie"), widget=forms.Textarea(attrs={"rows": 3}))


class DigestForm(forms.Form):
    wants_daily_digest = forms.BooleanField(
        label=_("Stuur mij elke ochtend een e-mail met wat vandaag moet"), required=False
    )
