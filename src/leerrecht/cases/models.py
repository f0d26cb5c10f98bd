"""Meldingen (reports), consent and the case file (issue 4; DOMAIN.md "What a case records").

Write through `leerrecht.cases.services` only: every change runs in a transaction, checks
the optimistic `version` under a row lock and appends one `CaseEvent` (the timeline).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --------------------------------------------------------------------------- vocabulary


class MeldingKind(models.TextChoices):
    SIGNAL = "signal", _("signaal uit verzuimregistratie")
    SICKNESS = "sickness", _("zorgwekkend ziekteverzuim (aanmeldformulier)")
    DUO = "duo", _("wettelijke verzuimmelding (DUO)")


class SicknessReason(models.TextChoices):
    """Reason checkboxes 1-4 of the sickness intake form (seed 000, Afbeelding 1)."""

    SPREAD_4_DAYS = "1", _("1. Meer dan 4 dagen ziek gemeld verspreid over de afgelopen maand")
    UNCLEAR_WEEK = "2", _("2. Onduidelijk ziekteverzuim van meer dan één week achter elkaar")
    SHORT_3X_2M = (
        "3",
        _("3. In een periode van 2 maanden drie keer (of meer) één of twee dagen ziek gemeld"),
    )
    OTHER_CONSPICUOUS = (
        "4",
        _("4. Op een andere manier opvallend ziekteverzuim (bijv. regelmatig ziek naar huis gaan)"),
    )


class DuoAbsenceKind(models.TextChoices):
    """DUO's verzuimsoort (duo.nl zakelijk/verzuim; DOMAIN.md national vocabulary)."""

    H16_4W = "16_uur", _("16 uur in 4 weken")
    LRV = "lrv", _("langdurig relatief verzuim")
    LUXURY = "luxe", _("luxeverzuim")
    RMC = "rmc", _("RMC / 18+")
    OTHER = "overig", _("overig verzuim")


class DuoStatus(models.TextChoices):
    REGISTERED = "geregistreerd", _("Geregistreerd")
    IN_PROGRESS = "in_behandeling", _("In behandeling")
    CLOSED = "afgesloten", _("Afgesloten")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")
    NOTED = "ter_kennisgeving", _("Ter kennisgeving aangenomen")


DUO_OPEN_STATUSES = (DuoStatus.REGISTERED, DuoStatus.IN_PROGRESS)


class ConsentStatus(models.TextChoices):
    PENDING = "pending", _("gevraagd, nog geen antwoord")
    GIVEN = "given", _("gegeven")
    REFUSED = "refused", _("geweigerd")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class ConsentPurpose(models.TextChoices):
    LEERPLICHT = "leerplicht", _("melding en gegevens delen met leerplicht")
    JGZ = "jgz", _("contact met jeugdarts (JGZ)")
    CARE = "care", _("contact met hulpverlening / jeugdteam")
    SWV = "swv", _("delen met het samenwerkingsverband")
    MDO = "mdo", _("bespreken in MDO / ZAT")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    ESCALATED = "escalated", _("opgeschaald")
    ON_HOLD = "on_hold", _("wacht (aanbod / wachtlijst)")
    CLOSED = "closed", _("afgesloten")


class ClosureReason(models.TextChoices):
    BACK_AT_SCHOOL = "back_at_school", _("volgt weer volledig onderwijs")
    ABOVE_THRESHOLD = "above_threshold", _("volgt weer meer dan 50% onderwijs")
    OFFER_ACCEPTED = "offer_accepted", _("passend aanbod gestart")
    ENROLLED = "enrolled", _("ingeschreven op een school")
    EXEMPTION = "exemption", _("vrijstelling")
    MOVED = "moved", _("verhuisd / vertrokken uit de regio")
    AGE = "age", _("niet meer leer- of kwalificatieplichtig")
    NO_CONSENT = "no_consent", _("geen toestemming ouders")
    TRANSFERRED = "transferred", _("overgedragen")
    OTHER = "other", _("anders")


class Cause(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("psychische problematiek")
    BEHAVIOUR = "behaviour", _("gedragsproblematiek")
    PHYSICAL = "physical", _("lichamelijke klachten / ziekte")
    SCHOOL = "school", _("schoolgebonden factoren")
    HOME = "home", _("thuissituatie / systeem")
    GIFTED = "gifted", _("hoogbegaafdheid / onderpresteren")
    NO_PLACE = "no_place", _("geen passende plek / wachtlijst")
    OTHER = "other", _("anders")
    UNKNOWN = "unknown", _("nog onbekend")


class DaytimeActivity(models.TextChoices):
    HOME = "home", _("thuis, geen dagbesteding")
    PARTIAL_SCHOOL = "partial_school", _("gedeeltelijk op school")
    HOME_EDUCATION = "home_education", _("onderwijs op afstand / huiswerk")
    CARE = "care", _("zorg / behandeling")
    EDUCATION_CARE = "education_care", _("onderwijs-zorgarrangement")
    DAYCARE = "daycare", _("dagbesteding")
    OTHER = "other", _("anders")


# --------------------------------------------------------------------------- meldingen


class Melding(models.Model):
    """A report about a student's absence, from one of three doors (issue 4.1)."""

    kind = models.CharField(_("soort melding"), max_length=10, choices=MeldingKind.choices)
    student = models.ForeignKey(
        "registry.Student", on_delete=models.PROTECT, related_name="meldingen"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("gemeld door organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    reported_on = models.DateField(_("datum melding"))
    # Authorised absence (sickness, leave) reaches leerplicht only with parents' consent
    # (seed 000, casus 1 "toestemming ouders"); unauthorised absence is a statutory report.
    authorised_absence = models.BooleanField(_("geoorloofd verzuim"), default=False)
    school_group = models.CharField(_("groep / klas"), max_length=40, blank=True)
    teacher = models.CharField(_("leerkracht / IB-er"), max_length=200, blank=True)
    discussed_with_parents = models.BooleanField(
        _("de informatie is met ouders besproken"), default=False
    )
    # Door (a): the signal, its window and the absence overview.
    signal_id = models.CharField(_("signaal"), max_length=40, blank=True)
    signal_first_date = models.DateField(_("eerste datum signaal"), null=True, blank=True)
    signal_hit_id = models.BigIntegerField(null=True, blank=True)
    window_summary = models.JSONField(_("verzuimoverzicht"), default=dict, blank=True)
    # Door (b): sickness intake form (seed 000, Afbeelding 1). Question 3 (GP/specialist,
    # diagnosis) is medical and lives in MedicalNote.
    sickness_reasons = models.JSONField(_("reden van aanmelding"), default=list, blank=True)
    q1_earlier_reports = models.TextField(
        _("1. Zijn er eerdere ziekmeldingen geweest en is hier een patroon in te ontdekken?"),
        blank=True,
    )
    q2_parents_reason = models.TextField(
        _("2. Wat is volgens ouders de reden van de ziekmelding(en)?"), blank=True
    )
    q4_worries = models.TextField(
        _("4. Is er sprake van probleemgedrag en/of zijn er zorgen over de thuissituatie?"),
        blank=True,
    )
    q5_neighbourhood_team = models.BooleanField(
        _("5. Is het wijkteam betrokken bij de leerling/het gezin?"), null=True, blank=True
    )
    q6_other_absence = models.TextField(
        _("6. Zijn er andere vormen van verzuim (spijbelen, te laat komen)? Zo ja, welke?"),
        blank=True,
    )
    q6_leerplicht_involved = models.BooleanField(
        _("Is de leerplichtambtenaar betrokken?"), null=True, blank=True
    )
    # Door (c): statutory unauthorised-absence report (DUO).
    duo_kind = models.CharField(
        _("verzuimsoort (DUO)"), max_length=10, choices=DuoAbsenceKind.choices, blank=True
    )
    duo_status = models.CharField(
        _("status (DUO)"), max_length=20, choices=DuoStatus.choices, blank=True
    )
    period_start = models.DateField(_("verzuim vanaf"), null=True, blank=True)
    period_end = models.DateField(_("verzuim tot en met"), null=True, blank=True)
    hours = models.DecimalField(
        _("verzuimde uren"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    absence_continues = models.BooleanField(_("verzuim houdt aan"), default=True)
    note = models.TextField(_("toelichting"), blank=True)
    # The rest of the annex of the Besluit verzuimmelding (BWBR0027085, bijlage); the
    # pupil number (BSN or onderwijsnummer) comes from the student. docs/duo-verzuimmelding.md
    suspected_reason = models.TextField(_("vermoedelijke reden van het verzuim"), blank=True)
    all_lessons_missed = models.BooleanField(_("alle lessen gemist"), null=True, blank=True)
    school_action = models.TextField(_("actie door school"), blank=True)
    municipality_action_wanted = models.BooleanField(
        _("actie gemeente gewenst"), null=True, blank=True
    )
    municipality_action_note = models.TextField(_("toelichting actie gemeente"), blank=True)
    lesson_location = models.CharField(_("leslocatie"), max_length=200, blank=True)
    reporter_name = models.CharField(_("naam melder"), max_length=200, blank=True)
    reporter_function = models.CharField(_("functie melder"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("telefoon melder"), max_length=40, blank=True)
    reporter_email = models.EmailField(_("e-mail melder"), blank=True)
    contact_phone = models.CharField(
        _("telefoon ouder/verzorger of leerling"), max_length=40, blank=True
    )
    other_address = models.TextField(_("adres (als het afwijkt van de BRP)"), blank=True)
    absence_days = models.PositiveIntegerField(_("verzuimdagen"), null=True, blank=True)
    report_deadline = models.DateField(_("uiterlijk melden op"), null=True, blank=True)
    previous_melding = models.ForeignKey(
        "self",
        verbose_name=_("vervolg op melding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    # The gemeente's answer (status feedback; duo_status holds the status).
    closing_reason = models.CharField(_("reden afsluiten"), max_length=200, blank=True)
    closing_explanation = models.TextField(_("toelichting afsluiten"), blank=True)
    municipality_contact = models.CharField(
        _("contactpersoon gemeente"), max_length=200, blank=True
    )
    answered_on = models.DateField(_("antwoord ontvangen op"), null=True, blank=True)
    exported_at = models.DateTimeField(_("geëxporteerd op"), null=True, blank=True)
    # The case this report belongs to (a second report about a student with an open case
    # is attached to that case instead of opening another one).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="meldingen"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reported_on:%d-%m-%Y}"

    @property
    def consent(self) -> Consent | None:
        """The latest consent record (None when consent was never asked); uses
        prefetch_related("consents") when the caller did that (lists of cases)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("consents")
        if prefetched is not None:
            return max(prefetched, key=lambda c: (c.asked_on, c.id), default=None)
        return self.consents.order_by("-asked_on", "-id").first()


class MeldingAction(models.Model):
    """Question 7 of the intake form: actions taken by the school, with dates and results."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="school_actions")
    taken_on = models.DateField(_("datum"))
    action = models.CharField(_("actie"), max_length=300)
    result = models.CharField(_("resultaat"), max_length=300, blank=True)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("actie van school")
        verbose_name_plural = _("acties van school")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Consent(models.Model):
    """Consent of a parent for sharing (seed 000, casus 1 "toestemming ouders")."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="consents")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gevraagd door"), on_delete=models.PROTECT
    )
    asked_on = models.DateField(_("gevraagd op"))
    status = models.CharField(
        _("toestemming"),
        max_length=10,
        choices=ConsentStatus.choices,
        default=ConsentStatus.PENDING,
    )
    guardian = models.ForeignKey(
        "registry.Guardian",
        verbose_name=_("ouder/verzorger"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parent_name = models.CharField(_("naam ouder/verzorger"), max_length=200, blank=True)
    purposes = models.JSONField(_("waarvoor"), default=list, blank=True)
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    discussed = models.TextField(_("wat is met ouders besproken"), blank=True)

    class Meta:
        ordering = ["-asked_on", "-id"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.asked_on:%d-%m-%Y})"

    def get_purposes_display(self) -> str:
        labels = dict(ConsentPurpose.choices)
        return ", ".join(str(labels.get(p, p)) for p in self.purposes)


# --------------------------------------------------------------------------- the case


class Case(models.Model):
    """Casus: one student's file with a named owner, a route and deadlines."""

    student = models.ForeignKey("registry.Student", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    protocol = models.CharField(_("protocol"), max_length=60)
    # The protocol version whose deadlines this case keeps (docs/adr/0190): set when the
    # case is opened, changed only by "de nieuwe regels toepassen". NULL: the shipped
    # preset file (version 1), for cases opened before protocols were versioned.
    protocol_version = models.ForeignKey(
        "protocols.ProtocolVersion",
        verbose_name=_("protocolversie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    route = models.CharField(_("route"), max_length=40)
    phase = models.CharField(_("fase / stap"), max_length=40)
    phase_since = models.DateField(_("in deze fase sinds"))
    anchor_date = models.DateField(_("eerste datum zorgwekkend verzuim"))
    opened_on = models.DateField(_("geopend op"))
    authorised_absence = models.BooleanField(_("geoorloofd verzuim"), default=False)
    regiehouder = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("regiehouder (organisatie)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    casusverantwoordelijke = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("casusverantwoordelijke"),
        on_delete=models.PROTECT,
        related_name="cases_responsible",
    )
    procesregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("procesregisseur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_directed",
    )
    cause = models.CharField(
        _("oorzaak"), max_length=20, choices=Cause.choices, default=Cause.UNKNOWN
    )
    cause_note = models.TextField(_("toelichting oorzaak"), blank=True)
    daytime_activity = models.CharField(
        _("dagbesteding"), max_length=20, choices=DaytimeActivity.choices, blank=True
    )
    stagnation_cause = models.TextField(_("oorzaak stagnatie"), blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reden afsluiting"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("toelichting afsluiting"), blank=True)
    last_activity_at = models.DateTimeField(_("laatste activiteit"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # Kept from the case's schedule by services.case_deadlines_refresh, which the one history
    # writer calls after every change (docs/adr/0170): the worklist sorts and pages an
    # office's cases by these without computing every schedule. NULL deadlines_at: never
    # computed (the worklist then computes the schedule itself).
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    stagnant_from = models.DateField(null=True, blank=True, editable=False)
    deadlines_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        constraints = [
            # One open case per student: a new signal is attached to it (issue 4.6).
            models.UniqueConstraint(
                fields=["student"],
                condition=~Q(status="closed"),
                name="case_one_open_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"Casus {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseParticipant(models.Model):
    """Who works on the case; care workers see a child only through this (privacy.query)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_participations"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("rol in de casus"), max_length=100, blank=True)
    active = models.BooleanField(_("actief"), default=True)
    added_on = models.DateField(_("toegevoegd op"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class EducationShare(models.Model):
    """How much of the education time the child still follows, over time (casus 1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="education_shares")
    measured_on = models.DateField(_("datum"))
    percentage = models.PositiveSmallIntegerField(_("percentage onderwijs gevolgd"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["measured_on", "id"]
        verbose_name = _("percentage onderwijs")
        verbose_name_plural = _("percentages onderwijs")
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__lte=100), name="education_share_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class WaitingList(models.Model):
    class Kind(models.TextChoices):
        EDUCATION = "education", _("onderwijs")
        CARE = "care", _("zorg / jeugdhulp")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="waiting_lists")
    kind = models.CharField(_("soort wachtlijst"), max_length=10, choices=Kind.choices)
    provider = models.CharField(_("voor welk aanbod / welke aanbieder"), max_length=200)
    since = models.DateField(_("sinds"))
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        ordering = ["since", "id"]
        verbose_name = _("wachtlijst")
        verbose_name_plural = _("wachtlijsten")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class PlanAction(models.Model):
    """One SMART action of the plan: who does what by when (seed 000, casus 2)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("gedaan")
        CANCELLED = "cancelled", _("vervallen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_actions")
    who = models.CharField(_("wie"), max_length=200)
    what = models.CharField(_("wat"), max_length=500)
    due_on = models.DateField(_("uiterlijk op"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    created_on = models.DateField(_("afgesproken op"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("actie uit het plan")
        verbose_name_plural = _("plan van aanpak")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Contact(models.Model):
    """A contact moment: phone, conversation, home visit, letter, MDO/ZAT/JES."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("telefonisch contact")
        CONVERSATION = "conversation", _("gesprek")
        HOME_VISIT = "home_visit", _("huisbezoek")
        DOOR_VISIT = "door_visit", _("deurbezoek")
        LETTER = "letter", _("brief")
        EMAIL = "email", _("e-mail")
        MDO = "mdo", _("MDO")
        ZAT = "zat", _("ZAT / OT")
        JES = "jes", _("JES")

    # Kinds that count as a conversation with child/parents for the norms.
    CONVERSATION_KINDS = ("conversation", "home_visit", "mdo", "zat", "jes")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("soort contact"), max_length=15, choices=Kind.choices)
    occurred_on = models.DateField(_("datum"))
    participants = models.CharField(_("deelnemers"), max_length=500, blank=True)
    with_student = models.BooleanField(_("met de leerling"), default=False)
    with_parents = models.BooleanField(_("met ouders/verzorgers"), default=False)
    summary = models.TextField(_("verslag"), blank=True)
    outcome = models.TextField(_("uitkomst / afspraken"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Voice(models.Model):
    """The voice of the child and of the parents (hoorrecht; seed 001, stap 3; UN CRC 12)."""

    class Who(models.TextChoices):
        CHILD = "child", _("leerling")
        PARENTS = "parents", _("ouders/verzorgers")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="voices")
    who = models.CharField(_("wie"), max_length=10, choices=Who.choices)
    recorded_on = models.DateField(_("datum"))
    text = models.TextField(_("wat zegt de leerling / zeggen de ouders"))

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = _("stem van leerling/ouders")
        verbose_name_plural = _("stem van leerling en ouders")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Suitability(models.TextChoices):
    YES = "yes", _("ja")
    NO = "no", _("nee")
    UNKNOWN = "unknown", _("nog niet bekend")


class Offer(models.Model):
    """The offer (aanbod) and whether child and parents consider it suitable."""

    class Kind(models.TextChoices):
        OWN_SCHOOL = "own_school", _("terug naar eigen school (aangepast programma)")
        OTHER_SCHOOL = "other_school", _("andere reguliere school")
        SPECIAL = "special", _("speciaal (basis)onderwijs")
        EDUCATION_CARE = "education_care", _("onderwijs-zorgarrangement")
        PARTIAL = "partial", _("gedeeltelijk onderwijs (Variawet)")
        CARE = "care", _("zorg / behandeling")
        NEWCOMERS = "newcomers", _("nieuwkomersonderwijs")
        OTHER = "other", _("anders")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("soort aanbod"), max_length=20, choices=Kind.choices)
    offered_on = models.DateField(_("datum aanbod"))
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    child_suitable = models.CharField(
        _("vindt de leerling het passend?"),
        max_length=10,
        choices=Suitability.choices,
        default=Suitability.UNKNOWN,
    )
    parents_suitable = models.CharField(
        _("vinden de ouders het passend?"),
        max_length=10,
        choices=Suitability.choices,
        default=Suitability.UNKNOWN,
    )

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class EnforcementStep(models.Model):
    """Leerplicht's MAS routes (Ingrado; DOMAIN.md national vocabulary)."""

    class Route(models.TextChoices):
        VOLUNTARY_HELP = "voluntary_help", _("vrijwillige jeugdhulp")
        HALT = "halt", _("Halt-verwijzing")
        CIVIL = "civil", _("civiele route (Raad voor de Kinderbescherming)")
        OFFICIAL_REPORT = "official_report", _("proces-verbaal")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcement_steps")
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    taken_on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("handhavingsstap")
        verbose_name_plural = _("handhavingsstappen")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class EscalationRecord(models.Model):
    """A step of the escalation ladder taken (seed 004, Bijlage 1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(_("opschalingsstap"), max_length=40)
    taken_on = models.DateField(_("datum"))
    outcome = models.TextField(_("uitkomst"), blank=True)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("opschaling")
        verbose_name_plural = _("opschalingen")
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="escalation_step_once")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MedicalNote(models.Model):
    """Medical details (intake question 3, JGZ notes). Only readers allowed by
    `privacy.query.user_reads_medical_details` get these (seed 000, casus 2 "jeugdarts")."""

    student = models.ForeignKey(
        "registry.Student", on_delete=models.PROTECT, related_name="medical_notes"
    )
    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, null=True, blank=True, related_name="medical_notes"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="medical_notes"
    )
    under_care = models.BooleanField(
        _("3. Is de leerling onder controle van de huisarts/specialist?"), null=True, blank=True
    )
    care_provider = models.CharField(_("Zo ja, bij wie?"), max_length=200, blank=True)
    diagnosis_known = models.BooleanField(
        _("Is er een diagnose gesteld/bekend?"), null=True, blank=True
    )
    diagnosis = models.TextField(_("diagnose"), blank=True)
    note = models.TextField(_("medische notitie"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_on = models.DateField(_("datum"))

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = _("medische notitie")
        verbose_name_plural = _("medische notities")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


# --------------------------------------------------------------------------- history


class AppendOnlyError(RuntimeError):
    """Case history cannot be altered."""


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("case events cannot be updated")

    def delete(self):
        raise AppendOnlyError("case events cannot be deleted")


class CaseEvent(models.Model):
    """Append-only history of a case, shown as its timeline.

    Written only through `services.case_event_record`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    # When it happened: now, or the day a loaded history happened (services.cases).
    occurred_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(_("door"), max_length=200, blank=True)
    kind = models.CharField(_("soort"), max_length=40)
    summary = models.CharField(_("omschrijving"), max_length=500)
    data = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("tijdlijn")

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("case events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("case events cannot be deleted")
