"""Read-side of monitoring: turn registry, attendance and cases into the facts the pure
computations in leerrecht.monitoring.figures need.

Personal data: lists of children start from `privacy.query.students_for_user`; policy
users (no personal-data role) get the same computation but only see aggregates
(leerrecht.monitoring.views decides what is shown and exported).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.engine.compulsory import compulsory_period, is_compulsory
from leerrecht.monitoring.figures.definitions import (
    ChildFacts,
    DefinitionComparison,
    DefinitionParams,
    definitions_compare,
)
from leerrecht.monitoring.figures.flow import Episode, av_unique, lrv_flow
from leerrecht.monitoring.figures.kpi import CaseDates, KpiSpec, kpi_specs
from leerrecht.monitoring.figures.periods import SchoolYear, age_on
from leerrecht.monitoring.models import FlowCount, Measure
from leerrecht.privacy.consent import ABSENCE_CATEGORIES, categories_visible
from leerrecht.privacy.query import students_for_user, user_sees_children
from leerrecht.registry.models import (
    Enrolment,
    Exemption,
    ExemptionArticle,
    Municipality,
    Organisation,
    OrganisationKind,
    ResidentRegisterEntry,
    RmcRegion,
    Student,
    Suspension,
)

# --------------------------------------------------------------------------- configuration


def _region_preset():
    # Through the one preset loader (engine/presets.py); the region preset's norms with a
    # target are its KPIs, its thuiszitter thresholds come from the same file. The version
    # in force today: a published version in the database, else the file (ADR 0190).
    from leerrecht.protocols.selectors import protocol_current_preset

    return protocol_current_preset(preset_name=settings.LEERRECHT_PROTOCOL, on=timezone.localdate())


def monitoring_preset_extra() -> dict:
    """The region preset's other tables (e.g. [disclosure]), validated by the loader."""
    return _region_preset().extra


def kpi_specs_current() -> tuple[KpiSpec, ...]:
    return kpi_specs(_region_preset().protocol)


def definition_params_current() -> DefinitionParams:
    return DefinitionParams.from_mapping(_region_preset().definitions)


# --------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """Which children a figure is about: all, a municipality, an SWV, a school, an RMC region."""

    kind: str = ""  # "", "gemeente", "swv", "school", "rmc"
    pk: int | None = None
    label: str = ""

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.pk}" if self.kind else ""

    def municipalities(self) -> QuerySet[Municipality] | None:
        if self.kind == "gemeente":
            return Municipality.objects.filter(pk=self.pk)
        if self.kind == "rmc":
            return Municipality.objects.filter(rmc_region_id=self.pk)
        return None

    def schools(self) -> QuerySet[Organisation] | None:
        if self.kind == "school":
            return Organisation.objects.filter(pk=self.pk, kind=OrganisationKind.SCHOOL)
        if self.kind == "swv":
            return Organisation.objects.filter(swv_id=self.pk, kind=OrganisationKind.SCHOOL)
        return None


_SCOPE_MODELS = {
    "gemeente": lambda pk: Municipality.objects.get(pk=pk).name,
    "rmc": lambda pk: RmcRegion.objects.get(pk=pk).name,
    "swv": lambda pk: Organisation.objects.get(pk=pk, kind=OrganisationKind.SWV).name,
    "school": lambda pk: Organisation.objects.get(pk=pk, kind=OrganisationKind.SCHOOL).name,
}


def scope_parse(token: str | None) -> Scope:
    """'gemeente:12', 'swv:3', 'school:7', 'rmc:2' or '' (everything). ValueError if bad."""
    if not token:
        return Scope()
    kind, _, raw = token.partition(":")
    if kind not in _SCOPE_MODELS or not raw.isdigit():
        raise ValueError(f"onbekende selectie {token!r}")
    try:
        label = _SCOPE_MODELS[kind](int(raw))
    except (Municipality.DoesNotExist, RmcRegion.DoesNotExist, Organisation.DoesNotExist):
        raise ValueError(f"onbekende selectie {token!r}") from None
    return Scope(kind, int(raw), label)


def scope_choices(user) -> list[Scope]:
    """The selections offered to `user`: every municipality/RMC region/SWV/school that has
    data in the region. The rows a user sees stay limited by students_for_user."""
    choices = [Scope()]
    choices += [
        Scope("rmc", r.pk, r.name)
        for r in RmcRegion.objects.filter(
            pk__in=Municipality.objects.values("rmc_region_id")
        ).order_by("name")
    ]
    choices += [Scope("gemeente", m.pk, m.name) for m in Municipality.objects.order_by("name")]
    choices += [
        Scope("swv", o.pk, o.name)
        for o in Organisation.objects.filter(kind=OrganisationKind.SWV).order_by("name")
    ]
    choices += [
        Scope("school", o.pk, o.name)
        for o in Organisation.objects.filter(kind=OrganisationKind.SCHOOL).order_by("name")
    ]
    return choices


def scope_within_user(user, scope: Scope) -> bool:
    """Whether every child of the selection belongs to the user's own work (ADR 0111):
    then a case worker sees the figures unsuppressed with the children behind them.
    Any other selection gives every role the same figures, aggregated and suppressed."""
    if not user_sees_children(user):
        return False
    org = getattr(user, "organisation", None)
    if org is None:
        return False
    if org.kind == OrganisationKind.SCHOOL:
        return scope.kind == "school" and scope.pk == org.pk
    if org.kind == OrganisationKind.SWV:
        if scope.kind == "swv":
            return scope.pk == org.pk
        return (
            scope.kind == "school"
            and Organisation.objects.filter(pk=scope.pk, swv_id=org.pk).exists()
        )
    if org.kind == OrganisationKind.JGZ:
        return scope.kind == "school" and org.served_schools.filter(pk=scope.pk).exists()
    if org.kind == OrganisationKind.LEERPLICHT:
        served = set(org.served_municipalities.values_list("pk", flat=True))
        wanted = scope.municipalities()
        if scope.kind == "":
            wanted = Municipality.objects.all()
        if wanted is None:
            return False
        return set(wanted.values_list("pk", flat=True)) <= served
    return False


def scope_default(user) -> Scope:
    """The selection a page opens with: the case worker's own work (their school, SWV,
    or the municipality they serve), the whole region for everyone else."""
    org = getattr(user, "organisation", None)
    if not user_sees_children(user) or org is None:
        return Scope()
    if org.kind == OrganisationKind.SCHOOL:
        return Scope("school", org.pk, org.name)
    if org.kind == OrganisationKind.SWV:
        return Scope("swv", org.pk, org.name)
    if org.kind == OrganisationKind.LEERPLICHT:
        served = list(org.served_municipalities.order_by("name"))
        if len(served) == 1:
            return Scope("gemeente", served[0].pk, served[0].name)
        regions = {m.rmc_region_id for m in served}
        if len(regions) == 1 and set(
            Municipality.objects.filter(rmc_region_id__in=regions).values_list("pk", flat=True)
        ) <= {m.pk for m in served}:
            region = served[0].rmc_region
            return Scope("rmc", region.pk, region.name)
    return Scope()


# --------------------------------------------------------------------------- helpers


def _active(qs, on: dt.date, *, start="start", end="end"):
    return qs.filter(**{f"{start}__lte": on}).filter(
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on})
    )


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    """School days approximated as weekdays from start up to and including end."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(rest):
        if (start.weekday() + i) % 7 < 5:
            count += 1
    return count


def _sector(school: Organisation | None) -> str:
    if school is None:
        return ""
    return "vo" if school.school_type in ("vo", "vso", "mbo") else "po"


def _cases_model():
    try:
        from leerrecht.cases import models as case_models
    except ImportError:  # cases app not installed in this build
        return None
    return case_models


def _summary_model():
    try:
        from leerrecht.attendance.models import AttendanceSummary
    except ImportError:
        return None
    return AttendanceSummary


# --------------------------------------------------------------------------- thuiszitters


@dataclass
class ChildRow:
    key: str
    student_id: int | None
    name: str
    initials: str
    age: int
    date_of_birth: dt.date | None
    school: str
    sector: str
    municipality: str
    facts: ChildFacts
    met: frozenset = frozenset()
    reasons: dict = field(default_factory=dict)
    absent_since: dt.date | None = None
    duration_days: int | None = None
    case_id: int | None = None
    cause: str = ""
    daytime_activity: str = ""
    passend_aanbod: bool | None = None
    waiting_list: bool | None = None
    regie: str = ""
    responsible: str = ""
    redacted: bool = False
    # False: the parents did not consent to share sick / authorised absence with the
    # reader (privacy/consent.py); a reason built on those hours is not named.
    absence_reasons_visible: bool = True
    attendance_as_of: dt.date | None = None
    tier: int | None = None
    visible: bool = False  # the reader may see this child (privacy.query scope)


@dataclass
class ThuiszitterStock:
    on: dt.date
    scope: Scope
    rows: list[ChildRow]
    comparison: DefinitionComparison
    params: DefinitionParams

    def rows_meeting_any(self) -> list[ChildRow]:
        return [r for r in self.rows if r.met]


def _population(scope: Scope, on: dt.date) -> QuerySet[Student]:
    qs = Student.objects.all()
    municipalities = scope.municipalities()
    if municipalities is not None:
        qs = qs.filter(residence_municipality__in=municipalities)
    schools = scope.schools()
    if schools is not None:
        qs = qs.filter(enrolments__school__in=schools, enrolments__start__lte=on)
    return qs.distinct()


def _candidates(qs: QuerySet[Student], on: dt.date) -> QuerySet[Student]:
    """Children that can meet a definition at all: not enrolled, exempt, suspended,
    absent streak, or an open case."""
    enrolled = _active(Enrolment.objects.filter(student=OuterRef("pk")), on)
    exempt = _active(Exemption.objects.filter(student=OuterRef("pk")), on)
    suspended = _active(Suspension.objects.filter(student=OuterRef("pk"), pending_removal=True), on)
    condition = ~Exists(enrolled) | Exists(exempt) | Exists(suspended)
    summary_model = _summary_model()
    if summary_model is not None:
        condition |= Exists(
            summary_model.objects.filter(
                student=OuterRef("pk"), absent_streak_days__gt=0, as_of__lte=on
            )
        )
    case_models = _cases_model()
    if case_models is not None:
        condition |= Exists(
            case_models.Case.objects.filter(student=OuterRef("pk"), opened_on__lte=on).filter(
                Q(closed_on__isnull=True) | Q(closed_on__gt=on)
            )
        )
    return qs.filter(condition)


_RETURN_ACTIVITIES = ("education_care", "home_education")


def thuiszitter_stock(*, user, on: dt.date, scope: Scope) -> ThuiszitterStock:
    """Evaluate the four definitions for every child in `scope` at `on`.

    Case workers: limited to students_for_user(user, on=on). Policy users: everyone in the
    scope (they only ever get aggregates from this)."""
    params = definition_params_current()
    # The same selection counts the same children for every role (ADR 0111); what a
    # case worker may see of each child is `ChildRow.visible`.
    population = _population(scope, on)
    if _sees_no_figures(user):
        population = population.none()
    students = list(
        _candidates(population, on).select_related("residence_municipality").order_by("pk")
    )
    ids = [s.pk for s in students]
    enrolments = defaultdict(list)
    for e in Enrolment.objects.filter(student_id__in=ids, start__lte=on).select_related("school"):
        enrolments[e.student_id].append(e)
    exemptions = defaultdict(set)
    for x in _active(Exemption.objects.filter(student_id__in=ids), on):
        exemptions[x.student_id].add(x.article)
    suspended = set(
        _active(
            Suspension.objects.filter(student_id__in=ids, pending_removal=True), on
        ).values_list("student_id", flat=True)
    )
    qualified = set(
        ResidentRegisterEntry.objects.filter(
            bsn__in=[s.bsn for s in students if s.bsn], has_starting_qualification=True
        ).values_list("bsn", flat=True)
    )
    summaries = {}
    summary_model = _summary_model()
    if summary_model is not None:
        summaries = {
            s.student_id: s for s in summary_model.objects.filter(student_id__in=ids, as_of__lte=on)
        }
    cases = _open_cases(ids, on)
    visible = _visible_ids(user, ids, on)
    from leerrecht.cases.query import case_content_visible

    visible = categories_visible(user, ids) if user is not None and user_sees_children(user) else {}

    rows: list[ChildRow] = []
    for s in students:
        current = [e for e in enrolments[s.pk] if e.end is None or e.end >= on]
        current.sort(key=lambda e: e.start, reverse=True)
        school = current[0].school if current else None
        past = sorted(enrolments[s.pk], key=lambda e: e.end or on, reverse=True)
        last_school = school or (past[0].school if past else None)
        summary = summaries.get(s.pk)
        case = cases.get(s.pk)
        streak, unauth, auth, sick, absent_since = 0, 0.0, 0.0, 0.0, None
        if summary is not None and summary.absent_streak_days > 0:
            streak = summary.absent_streak_days
            # Hours by reason over the streak itself (attendance app); the school-year
            # totals are the fallback for summaries stored before those fields existed.
            streak_hours = (
                getattr(summary, "streak_unauthorised_hours", None),
                getattr(summary, "streak_authorised_hours", None),
                getattr(summary, "streak_sick_hours", None),
            )
            if None not in streak_hours and any(streak_hours):
                unauth, auth, sick = (float(h) for h in streak_hours)
            else:
                unauth = float(summary.unauthorised_hours)
                auth = float(summary.authorised_hours)
                sick = float(summary.sick_hours)
            absent_since = getattr(summary, "absent_since", None) or (
                summary.as_of - dt.timedelta(days=(streak - 1) * 7 // 5)
            )
        elif case is not None and current:
            share = case.latest_share
            if share is None or share == 0:
                streak = _weekdays_between(case.anchor_date, on)
                absent_since = case.anchor_date
                if case.authorised_absence:
                    auth = 1.0
                else:
                    unauth = 1.0
        if not current:
            absent_since = past[0].end + dt.timedelta(days=1) if past and past[0].end else None
        in_programme = bool(case and case.daytime_activity in _RETURN_ACTIVITIES)
        first_enrolment = min((e.start for e in enrolments[s.pk]), default=None)
        facts = ChildFacts(
            key=str(s.pk),
            age=age_on(s.date_of_birth, on),
            compulsory=is_compulsory(
                date_of_birth=s.date_of_birth,
                on=on,
                starting_qualification=s.bsn in qualified,
                first_enrolment=first_enrolment,
            ),
            enrolled=bool(current),
            exemption_articles=frozenset(exemptions[s.pk]),
            has_starting_qualification=s.bsn in qualified,
            sector=_sector(last_school),
            consecutive_days_without_education=streak,
            unauthorised_hours=unauth,
            authorised_hours=auth,
            sick_hours=sick,
            in_return_programme=in_programme,
            suspended_pending_removal=s.pk in suspended,
        )
        row = ChildRow(
            key=str(s.pk),
            student_id=s.pk,
            name=s.full_name,
            initials=s.initials,
            age=facts.age,
            date_of_birth=s.date_of_birth,
            school=last_school.name if last_school else "",
            sector=facts.sector,
            municipality=s.residence_municipality.name,
            facts=facts,
            absent_since=absent_since or (case.anchor_date if case else None),
            attendance_as_of=summary.as_of if summary else None,
            tier=summary.tier if summary else None,
            visible=s.pk in visible,
        )
        if s.pk in visible:
            row.absence_reasons_visible = visible[s.pk] >= ABSENCE_CATEGORIES
        if case is not None:
            row.case_id = case.pk
            row.regie = case.regiehouder.name
            if user is None or not user_sees_children(user) or case_content_visible(user, case):
                row.cause = case.get_cause_display()
                row.daytime_activity = case.get_daytime_activity_display()
                row.passend_aanbod = case.has_passend_aanbod
                row.waiting_list = case.on_waiting_list
                row.responsible = case.casusverantwoordelijke.get_full_name() or str(
                    case.casusverantwoordelijke
                )
            else:
                row.redacted = True
        if row.absent_since:
            row.duration_days = (on - row.absent_since).days + 1
        rows.append(row)
    rows += _register_only_absolute(user=user, on=on, scope=scope)
    comparison = definitions_compare([r.facts for r in rows], params)
    by_key = {r.key: r for r in comparison.results}
    for row in rows:
        result = by_key[row.key]
        row.met, row.reasons = result.met, dict(result.reasons)
    return ThuiszitterStock(on, scope, rows, comparison, params)


def _sees_no_figures(user) -> bool:
    """Roles without a task in monitoring (operator, privacy officer) count nothing."""
    return (
        user is not None
        and not user_sees_children(user)
        and user.role != Role.POLICY
        and not user.is_superuser
    )


def _visible_ids(user, ids: list[int], on: dt.date) -> set[int]:
    if user is None or not user_sees_children(user) or not ids:
        return set()
    visible: set[int] = set()
    scope = students_for_user(user, on=on)
    for i in range(0, len(ids), 900):
        visible.update(scope.filter(pk__in=ids[i : i + 900]).values_list("pk", flat=True))
    return visible


def _open_cases(student_ids: list[int], on: dt.date) -> dict:
    case_models = _cases_model()
    if case_models is None or not student_ids:
        return {}
    cases = (
        case_models.Case.objects.filter(student_id__in=student_ids, opened_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .select_related("regiehouder", "casusverantwoordelijke")
        .prefetch_related("offers", "waiting_lists", "education_shares", "meldingen")
    )
    out = {}
    for case in cases:
        shares = [e for e in case.education_shares.all() if e.measured_on <= on]
        case.latest_share = max(shares, key=lambda e: e.measured_on).percentage if shares else None
        case.has_passend_aanbod = any(
            o.offered_on <= on and "no" not in (o.child_suitable, o.parents_suitable)
            for o in case.offers.all()
        )
        case.on_waiting_list = any(
            w.since <= on and (w.ended_on is None or w.ended_on >= on)
            for w in case.waiting_lists.all()
        )
        out[case.student_id] = case
    return out


def _register_only_absolute(*, user, on: dt.date, scope: Scope) -> list[ChildRow]:
    """Children in the population register of the scope's municipalities without any
    Student record (so never enrolled here): absolute verzuim candidates (seed 004 route 2)."""
    if scope.kind in ("swv", "school"):
        return []
    entries = _active(
        ResidentRegisterEntry.objects.all(), on, start="settled_on", end="departed_on"
    ).exclude(departed_on=on)
    municipalities = scope.municipalities()
    if municipalities is not None:
        entries = entries.filter(municipality__in=municipalities)
    if _sees_no_figures(user):
        return []
    served: set[int] = set()
    org = getattr(user, "organisation", None)
    if user_sees_children(user) and org is not None and org.kind == OrganisationKind.LEERPLICHT:
        served = set(org.served_municipalities.values_list("pk", flat=True))
    entries = entries.exclude(bsn__in=Student.objects.exclude(bsn="").values("bsn"))
    rows = []
    for entry in entries.select_related("municipality").order_by("pk"):
        age = age_on(entry.date_of_birth, on)
        facts = ChildFacts(
            key=f"brp-{entry.pk}",
            age=age,
            compulsory=is_compulsory(
                date_of_birth=entry.date_of_birth,
                on=on,
                starting_qualification=entry.has_starting_qualification,
            ),
            enrolled=False,
            has_starting_qualification=entry.has_starting_qualification,
        )
        initials = "".join(f"{n[0]}." for n in entry.given_names.split() if n)
        rows.append(
            ChildRow(
                key=facts.key,
                student_id=None,
                name=" ".join(
                    p for p in (entry.given_names, entry.tussenvoegsel, entry.surname) if p
                ),
                initials=" ".join(p for p in (initials, entry.tussenvoegsel, entry.surname) if p),
                age=age,
                date_of_birth=entry.date_of_birth,
                school="",
                sector="",
                municipality=entry.municipality.name,
                facts=facts,
                absent_since=entry.settled_on,
                duration_days=(on - entry.settled_on).days + 1,
                visible=entry.municipality_id in served,
            )
        )
    return rows


# --------------------------------------------------------------------------- KPIs


def kpi_case_dates(*, user, scope: Scope) -> list[CaseDates]:
    """One CaseDates per case in scope (case workers: their scope; policy: all)."""
    case_models = _cases_model()
    if case_models is None:
        return []
    cases = case_models.Case.objects.all()
    if _sees_no_figures(user):  # every other role counts the same cases (ADR 0111)
        return []
    municipalities = scope.municipalities()
    if municipalities is not None:
        cases = cases.filter(student__residence_municipality__in=municipalities)
    schools = scope.schools()
    if schools is not None:
        cases = cases.filter(student__enrolments__school__in=schools).distinct()
    return kpi_case_dates_of(cases)


def kpi_case_dates_of(cases) -> list[CaseDates]:
    """One CaseDates per case of `cases` (a Case queryset the caller has scoped). The first
    dates are computed by the database (one query, whatever the number of cases)."""
    m = _cases_model()
    back = ("back_at_school", "above_threshold", "offer_accepted", "enrolled")

    def first(model, field: str, **where):
        rows = model.objects.filter(case=OuterRef("pk"), **where).order_by().values("case")
        return Subquery(rows.annotate(d=Min(field)).values("d")[:1])

    rows = (
        cases.order_by("pk")
        .annotate(
            first_contact=first(m.Contact, "occurred_on"),
            first_conversation=first(
                m.Contact, "occurred_on", kind__in=m.Contact.CONVERSATION_KINDS
            ),
            goals_set=first(m.PlanAction, "created_on"),
            passend_aanbod=Subquery(
                m.Offer.objects.filter(case=OuterRef("pk"))
                .exclude(child_suitable="no")
                .exclude(parents_suitable="no")
                .order_by()
                .values("case")
                .annotate(d=Min("offered_on"))
                .values("d")[:1]
            ),
        )
        .values_list(
            "pk",
            "opened_on",
            "first_contact",
            "goals_set",
            "passend_aanbod",
            "first_conversation",
            "closed_on",
            "closure_reason",
            "anchor_date",
        )
    )
    return [
        CaseDates(
            key=f"C-{pk}",
            start=opened_on,
            first_contact=first_contact,
            goals_set=goals_set,
            passend_aanbod=passend_aanbod,
            first_conversation=first_conversation,
            closed=closed_on if closure_reason in back else None,
            absent_since=anchor_date,
        )
        for (
            pk,
            opened_on,
            first_contact,
            goals_set,
            passend_aanbod,
            first_conversation,
            closed_on,
            closure_reason,
            anchor_date,
        ) in rows
    ]


# --------------------------------------------------------------------------- yearly count


@dataclass
class TellingRow:
    label: str
    counts: dict[str, int | None]


def telling_imported(*, measure: str = Measure.AV_LRV) -> tuple[list[str], list[TellingRow]]:
    """Imported yearly counts per RMC region (seed 003, Bijlage 6): years, rows."""
    data: dict[str, dict[str, int]] = defaultdict(dict)
    years: set[str] = set()
    for fc in FlowCount.objects.filter(measure=measure, rmc_region__isnull=False).select_related(
        "rmc_region"
    ):
        data[fc.rmc_region.name][fc.school_year] = fc.value
        years.add(fc.school_year)
    ordered = sorted(years)
    rows = [TellingRow(name, {y: counts.get(y) for y in ordered}) for name, counts in data.items()]
    rows.sort(key=lambda r: r.label)
    return ordered, rows


@dataclass
class ComputedTelling:
    label: str
    year: SchoolYear
    av: int
    lrv_at_start: int
    lrv_new: int
    lrv_3m: int
    exemptions: dict[str, int]


def telling_computed(*, year: SchoolYear, municipality: Municipality) -> ComputedTelling:
    """The leerplichttelling for one municipality from the system's own data."""
    students = Student.objects.filter(residence_municipality=municipality)
    av_episodes = _av_episodes(students, year, municipality)
    lrv_episodes = _lrv_episodes(students, year)
    flow = lrv_flow(lrv_episodes, year)
    exemptions = {a: 0 for a, _ in ExemptionArticle.choices}
    seen = set()
    for x in Exemption.objects.filter(student__in=students, start__lte=year.end).filter(
        Q(end__isnull=True) | Q(end__gte=year.start)
    ):
        if (x.student_id, x.article) not in seen:
            seen.add((x.student_id, x.article))
            exemptions[x.article] += 1
    return ComputedTelling(
        municipality.name,
        year,
        av_unique(av_episodes, year),
        flow.at_start,
        flow.new,
        flow.longer_than_3m,
        exemptions,
    )


#: Gaps without enrolment up to this many days count as a transfer (e.g. po -> vo over
#: the summer), not absolute verzuim.
AV_TRANSFER_GAP_DAYS = 49  # the six-week summer holiday plus a week


def av_gaps(
    *, first: dt.date, last: dt.date, covered: list[tuple[dt.date, dt.date | None]]
) -> list[tuple[dt.date, dt.date | None]]:
    """Gaps in `covered` (enrolments and exemptions) between `first` and `last`, looked at
    once a week from `first`: a gap starts on the first week day not covered and ends on
    the first week day covered again (None: still open). A gap of at most
    AV_TRANSFER_GAP_DAYS is a transfer (a change of school, the first school day after the
    summer), not absolute verzuim: DOMAIN.md, "Absolute verzuim is inflated at the start of
    a school year while transfers are registered".

    Computed on week numbers (an interval covers a contiguous range of weeks), so the cost
    is per period, not per week."""
    weeks = (last - first).days // 7

    def day(k: int) -> dt.date:
        return first + dt.timedelta(days=7 * k)

    ranges = []
    for a, b in covered:
        lo = max(0, -(-(a - first).days // 7))  # first week day on or after a
        hi = weeks if b is None else min(weeks, (b - first).days // 7)
        if lo <= hi:
            ranges.append((lo, hi))
    gaps: list[tuple[dt.date, dt.date | None]] = []
    k = 0  # the first week not known to be covered
    for lo, hi in sorted(ranges):
        if lo > k and (day(lo) - day(k)).days > AV_TRANSFER_GAP_DAYS:
            gaps.append((day(k), day(lo)))
        k = max(k, hi + 1)
    if k <= weeks:  # open at the end: until the next period starts, if any
        gap_start = day(k)
        later = [a for a, _b in covered if a > gap_start]
        if ((min(later) if later else last) - gap_start).days > AV_TRANSFER_GAP_DAYS:
            gaps.append((gap_start, min(later) if later else None))
    return gaps


def _av_episodes(students, year: SchoolYear, municipality) -> list[Episode]:
    """Periods of compulsory age without enrolment or exemption, within the year."""
    episodes = []
    # Children enrolled for the whole year have no gap: skip them in the database.
    whole_year = Enrolment.objects.filter(student=OuterRef("pk"), start__lte=year.start).filter(
        Q(end__isnull=True) | Q(end__gte=year.end)
    )
    students = students.exclude(Exists(whole_year))
    # Periods as plain tuples, two queries for the whole municipality (no model objects).
    enrolments: dict[int, list] = defaultdict(list)
    for student_id, start, end in Enrolment.objects.filter(student__in=students).values_list(
        "student_id", "start", "end"
    ):
        enrolments[student_id].append((start, end))
    exemptions: dict[int, list] = defaultdict(list)
    for student_id, start, end in Exemption.objects.filter(student__in=students).values_list(
        "student_id", "start", "end"
    ):
        exemptions[student_id].append((start, end))
    for pk, date_of_birth in students.order_by("pk").values_list("pk", "date_of_birth"):
        enrolled = enrolments[pk]
        covered = enrolled + exemptions[pk]
        period = compulsory_period(
            date_of_birth=date_of_birth,
            first_enrolment=min((a for a, _ in enrolled), default=None),
        )
        first = max(year.start, period.leerplicht_start)
        last = min(year.end, period.kwalificatieplicht_end - dt.timedelta(days=1))
        if first > last:
            continue
        for gap_start, gap_end in av_gaps(first=first, last=last, covered=covered):
            episodes.append(Episode(str(pk), gap_start, gap_end))
    for entry in (
        ResidentRegisterEntry.objects.filter(
            municipality=municipality, settled_on__lte=year.end, has_starting_qualification=False
        )
        .filter(Q(departed_on__isnull=True) | Q(departed_on__gte=year.start))
        .exclude(bsn__in=Student.objects.exclude(bsn="").values("bsn"))
    ):
        if is_compulsory(date_of_birth=entry.date_of_birth, on=max(year.start, entry.settled_on)):
            episodes.append(Episode(f"brp-{entry.pk}", entry.settled_on, entry.departed_on))
    return episodes


def _lrv_episodes(students, year: SchoolYear) -> list[Episode]:
    """Long relative absence from cases: unauthorised cases from the anchor date (first
    day of worrying absence) to closure, and DUO LRV reports."""
    case_models = _cases_model()
    if case_models is None:
        return []
    episodes = [
        Episode(str(c.student_id), c.anchor_date, c.closed_on)
        for c in case_models.Case.objects.filter(
            student__in=students, authorised_absence=False, anchor_date__lte=year.end
        )
    ]
    episodes += [
        Episode(str(m.student_id), m.period_start, m.period_end)
        for m in case_models.Melding.objects.filter(
            student__in=students, duo_kind="lrv", period_start__isnull=False
        ).exclude(duo_status="ingetrokken")
    ]
    return episodes
