"""Build each page's figures once, as a `Report` (exported as CSV/XLSX/PDF) plus its SVG
charts (shown on the page). The web views and `leerrecht report ...` both call these, so
screen and files carry the same numbers.

`aggregate=True` (policy users, and every CLI run without --personal) leaves out every
person and applies disclosure control (leerrecht.privacy.disclosure): small counts, the
cells that would give them away through totals and differences, and percentages over
small numbers are hidden. Each builder declares the relations a reader knows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from leerrecht.engine.sources import source_cite
from leerrecht.monitoring import selectors
from leerrecht.monitoring.exports import Report
from leerrecht.monitoring.figures import definitions as d
from leerrecht.monitoring.figures.breakdown import (
    AGE_BANDS,
    DURATION_BANDS,
    band,
    count_by,
)
from leerrecht.monitoring.figures.change import pct_change, pct_format
from leerrecht.monitoring.figures.charts import Chart, Series, bar_chart, line_chart
from leerrecht.monitoring.figures.kpi import kpi_dashboard
from leerrecht.monitoring.figures.periods import Quarter, SchoolYear
from leerrecht.monitoring.labels import (
    DEFINITION_LABELS,
    DEFINITION_TEXT,
    REASON_LABELS,
)
from leerrecht.privacy.disclosure import SECONDARY, Disclosure, resolve
from leerrecht.privacy.suppression import DEFAULT_THRESHOLD


def disclosure_threshold() -> int:
    """The smallest count shown to policy users, from the protocol preset ([disclosure]
    min_count; docs/privacy.md)."""
    table = selectors.monitoring_preset_extra().get("disclosure") or {}
    return int(table.get("min_count", DEFAULT_THRESHOLD))


@dataclass
class Built:
    report: Report
    charts: list[Chart] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # Aggregate pages: every count is a cell of one disclosure-control problem.
    dc: Disclosure | None = None
    # Charts are drawn after protection, from what the tables show.
    deferred: list = field(default_factory=list)

    @classmethod
    def start(cls, report: Report, *, aggregate: bool, **extra) -> Built:
        dc = Disclosure(threshold=disclosure_threshold()) if aggregate else None
        return cls(report, extra=extra, dc=dc)

    def n(self, value):
        """A count as it goes into a table: a protected cell on aggregate pages."""
        return self.dc.count(value) if self.dc is not None and value is not None else value

    def pct(self, numerator, denominator, text: str):
        if self.dc is None or text == "–":
            return text
        return self.dc.percent(numerator, denominator, text)

    def note(self) -> list[str]:
        if self.dc is None:
            return []
        t = self.dc.threshold
        return [
            _(
                "Aantallen onder %(t)s zijn weergegeven als <%(t)s; %(x)s: niet getoond omdat "
                "het met de andere cijfers een klein aantal zou verraden."
            )
            % {"t": t, "x": SECONDARY}
        ]

    def finish(self) -> Built:
        if self.dc is not None:
            self.dc.protect()
        for section in self.report.sections:
            section.rows = [[resolve(v) for v in row] for row in section.rows]
            section.notes = [str(note) for note in section.notes]
        for draw in self.deferred:
            draw()
        return self


class Note:
    """A note with counts in it, written out after protection."""

    def __init__(self, template: str, **cells) -> None:
        self.template, self.cells = template, cells

    def __str__(self) -> str:
        return self.template % {k: resolve(v) for k, v in self.cells.items()}


def _chart_value(value):
    value = resolve(value)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _add_count_figure(built: Built, *, title: str, label: str, pairs, total=None) -> None:
    """A breakdown; on aggregate pages its parts sum to `total` (a cell, often implied)."""
    rows = [(k, built.n(v)) for k, v in pairs]
    if built.dc is not None and total is not None:
        built.dc.total(total, [r[1] for r in rows])

    def draw() -> None:
        built.charts.append(
            bar_chart(
                title=title,
                categories=[r[0] for r in rows],
                series=[Series(_("aantal"), [_chart_value(r[1]) for r in rows])],
                category_label=label,
            )
        )

    built.deferred.append(draw)
    built.report.add(title, [label, _("aantal")], rows, built.note())


# --------------------------------------------------------------------------- thuiszitters


def build_thuiszitters(*, user, on: dt.date, scope, aggregate: bool) -> Built:
    stock = selectors.thuiszitter_stock(user=user, on=on, scope=scope)
    comparison = stock.comparison
    scope_label = scope.label or _("hele regio")
    report = Report(
        _("Thuiszitters op %(date)s — vier definities") % {"date": on.strftime("%d-%m-%Y")},
        _("Selectie: %(scope)s. Standcijfer (aantal kinderen op de peildatum).")
        % {"scope": scope_label},
    )
    built = Built.start(report, aggregate=aggregate, stock=stock)
    rows, count_of, extra_of = [], {}, {}
    for definition in d.DEFINITIONS:
        added = sum(comparison.added.get(definition, {}).values())
        count_of[definition] = built.n(comparison.counts[definition])
        extra_of[definition] = None if definition == d.INSPECTIE else built.n(added)
        rows.append(
            (
                str(DEFINITION_LABELS[definition]),
                count_of[definition],
                "" if definition == d.INSPECTIE else extra_of[definition],
                str(DEFINITION_TEXT[definition]),
                source_cite(d.SOURCES[definition]),
            )
        )

    def draw() -> None:
        built.charts.insert(
            0,
            bar_chart(
                title=_("Aantal thuiszitters per definitie"),
                categories=[r[0] for r in rows],
                series=[Series(_("aantal"), [_chart_value(r[1]) for r in rows])],
                category_label=_("definitie"),
            ),
        )

    built.deferred.append(draw)
    report.add(
        _("Aantal per definitie"),
        [_("definitie"), _("aantal"), _("extra t.o.v. definitie 1"), _("omschrijving"), _("bron")],
        rows,
        built.note(),
    )
    why = []
    for definition in d.DEFINITIONS[1:]:
        label = str(DEFINITION_LABELS[definition])
        reasons = []
        for reason, count in comparison.added[definition].items():
            reasons.append(built.n(count))
            why.append((label, str(REASON_LABELS[reason]), reasons[-1]))
        if not reasons and built.dc is not None:
            # No rows at all would tell the reader that the definition adds exactly 0.
            reasons.append(built.n(0))
            why.append((label, _("overige redenen"), reasons[-1]))
        dropped = comparison.dropped[definition]
        # On aggregate pages the row is always there: a missing row would say "0".
        if dropped or built.dc is not None:
            dropped = built.n(dropped)
            why.append((label, _("telt niet mee wat definitie 1 wel meetelt"), dropped))
        if built.dc is not None:
            built.dc.total(extra_of[definition], reasons)
            # definition k = definition 1 + what k adds - what k drops
            built.dc.relation(
                [
                    (1, count_of[definition]),
                    (-1, count_of[d.INSPECTIE]),
                    (-1, extra_of[definition]),
                    (1, dropped),
                ]
            )
    report.add(
        _("Wat elke bredere definitie toevoegt, en waarom"),
        [_("definitie"), _("reden"), _("aantal kinderen")],
        why,
        built.note(),
    )
    # Breakdowns over the broadest definition (casus 2 / casus 1 union).
    counted = [r for r in stock.rows if r.met]
    built.extra["counted"] = counted
    _breakdowns(built, counted)
    if not aggregate:
        listed = [r for r in counted if r.visible]
        hidden = len(counted) - len(listed)
        report.add(
            _("Kinderen (per kind de definities die het haalt)"),
            [
                _("leerling"),
                _("leeftijd"),
                _("school"),
                *[_("def. %(n)s") % {"n": i} for i in range(1, 5)],
                _("reden"),
                _("duur (dagen)"),
                _("oorzaak"),
                _("dagbesteding"),
                _("passend aanbod"),
                _("regie"),
            ],
            [
                (
                    r.name,
                    r.age,
                    r.school,
                    *[_("ja") if r.met and k in r.met else "" for k in d.DEFINITIONS],
                    "; ".join(sorted({_reason_label(r, x) for x in r.reasons.values()})),
                    r.duration_days,
                    r.cause if not r.redacted else _("(geen toestemming)"),
                    r.daytime_activity,
                    r.passend_aanbod,
                    r.regie,
                )
                for r in sorted(listed, key=lambda r: (r.name, r.key))
            ],
            [
                _(
                    "%(n)s kinderen tellen mee maar vallen buiten uw inzage; "
                    "zij staan niet in deze lijst."
                )
                % {"n": hidden}
            ]
            if hidden
            else [],
        )
    return built.finish()


def _reason_label(row, reason: str) -> str:
    """A reason that rests on sick or authorised hours is named only under the consent
    table (privacy/consent.py)."""
    if reason == d.R_AUTHORISED and not row.absence_reasons_visible:
        return str(_("(geen toestemming)"))
    return str(REASON_LABELS[reason])


def _breakdowns(built: Built, counted) -> None:
    """Every breakdown sums to the same number of children: a reader who can add up one
    of them knows it, so it is a relation of every breakdown (implied, not shown)."""
    unknown = _("onbekend")
    total = built.dc.implied(len(counted)) if built.dc is not None else None
    _add_count_figure(
        built,
        title=_("Naar oorzaak"),
        label=_("oorzaak"),
        pairs=count_by([r.cause or unknown for r in counted]),
        total=total,
    )
    _add_count_figure(
        built,
        title=_("Naar dagbesteding"),
        label=_("dagbesteding"),
        pairs=count_by([r.daytime_activity or unknown for r in counted]),
        total=total,
    )
    yes, no = _("ja"), _("nee")
    _add_count_figure(
        built,
        title=_("Op een wachtlijst"),
        label=_("wachtlijst"),
        pairs=count_by(
            [
                unknown if r.waiting_list is None else (yes if r.waiting_list else no)
                for r in counted
            ],
            order=[yes, no],
        ),
        total=total,
    )
    _add_count_figure(
        built,
        title=_("Po / vo"),
        label=_("sector"),
        pairs=count_by([r.sector or unknown for r in counted], order=["po", "vo"]),
        total=total,
    )
    _add_count_figure(
        built,
        title=_("Naar leeftijd"),
        label=_("leeftijd"),
        pairs=count_by([band(r.age, AGE_BANDS) for r in counted], order=[b[2] for b in AGE_BANDS]),
        total=total,
    )
    _add_count_figure(
        built,
        title=_("Naar duur tot nu toe"),
        label=_("duur"),
        pairs=count_by(
            [
                band(r.duration_days, DURATION_BANDS) if r.duration_days else unknown
                for r in counted
            ],
            order=[b[2] for b in DURATION_BANDS],
        ),
        total=total,
    )
    with_case = [r for r in counted if r.passend_aanbod is not None]
    within = [r for r in with_case if r.passend_aanbod and (r.duration_days or 0) <= 92]
    with_offer = [r for r in with_case if r.passend_aanbod]
    cases, offers = built.n(len(with_case)), built.n(len(with_offer))
    built.report.add(
        _("Aandeel met passend aanbod"),
        [_("kinderen met casus"), _("met passend aanbod"), _("aandeel")],
        [
            (
                cases,
                offers,
                built.pct(
                    offers,
                    cases,
                    _fmt_pct(100 * len(with_offer) / len(with_case) if with_case else None),
                ),
            )
        ],
        [
            Note(_("Waarvan binnen drie maanden thuis: %(n)s."), n=built.n(len(within))),
            *built.note(),
        ],
    )


# --------------------------------------------------------------------------- KPIs


def build_kpi(*, user, scope, as_of: dt.date, quarters: int = 4, aggregate: bool) -> Built:
    specs = selectors.kpi_specs_current()
    cases = selectors.kpi_case_dates(user=user, scope=scope)
    current = Quarter.of(as_of)
    periods = [current.previous(n) for n in range(quarters - 1, -1, -1)]
    results = kpi_dashboard(specs=specs, cases=cases, quarters=periods, as_of=as_of)
    report = Report(
        _("Kwartaaldoelen thuiszittersaanpak (casus 2)"),
        _("Selectie: %(scope)s. Stand per %(date)s; streefwaarden uit het protocol %(p)s.")
        % {
            "scope": scope.label or _("hele regio"),
            "date": as_of.strftime("%d-%m-%Y"),
            "p": settings.LEERRECHT_PROTOCOL,
        },
    )
    built = Built.start(report, aggregate=aggregate, results=results, specs=specs, quarters=periods)
    rows = []
    for spec in specs:
        latest = results[spec.id][-1]
        achieved, evaluated = built.n(latest.achieved), built.n(latest.evaluated)
        reached = "–" if latest.on_target is None else (_("ja") if latest.on_target else _("nee"))
        rows.append(
            (
                spec.label,
                str(latest.quarter),
                achieved,
                evaluated,
                # A percentage (and whether it reaches the target) over a small number
                # would give the small number away.
                built.pct(achieved, evaluated, _fmt_pct(latest.pct)),
                f"{spec.target_pct:.0f}%",
                built.pct(achieved, evaluated, reached),
                built.n(latest.pending),
            )
        )
    report.add(
        _("Behaald tegenover streefwaarde (laatste kwartaal)"),
        [
            _("doel"),
            _("kwartaal"),
            _("op tijd"),
            _("beoordeeld"),
            _("behaald"),
            _("streefwaarde"),
            _("gehaald"),
            _("nog lopend"),
        ],
        rows,
        built.note(),
    )
    for spec in specs:
        series = results[spec.id]
        trend = []
        for r in series:
            achieved, evaluated = built.n(r.achieved), built.n(r.evaluated)
            pct = built.pct(achieved, evaluated, _fmt_pct(r.pct))
            trend.append((str(r.quarter), achieved, evaluated, pct, f"{spec.target_pct:.0f}%"))

        def draw(spec=spec, series=series, trend=trend) -> None:
            built.charts.append(
                line_chart(
                    title=_("%(kpi)s per kwartaal") % {"kpi": spec.label},
                    categories=[str(r.quarter) for r in series],
                    series=[
                        Series(
                            _("behaald"),
                            [
                                None
                                if r.pct is None or resolve(row[3]) == SECONDARY
                                else round(r.pct, 1)
                                for r, row in zip(series, trend, strict=True)
                            ],
                        )
                    ],
                    unit="%",
                    category_label=_("kwartaal"),
                    target=spec.target_pct,
                    target_label=_("streefwaarde"),
                )
            )

        built.deferred.append(draw)
        report.add(
            _("Trend: %(kpi)s") % {"kpi": spec.label},
            [_("kwartaal"), _("op tijd"), _("beoordeeld"), _("behaald"), _("streefwaarde")],
            trend,
            built.note(),
        )
        if not aggregate:
            report.add(
                _("Gemist: %(kpi)s") % {"kpi": spec.label},
                [_("casus"), _("kwartaal"), _("gerekend vanaf"), _("uiterlijk"), _("gebeurd op")],
                [
                    (m.key, str(r.quarter), m.start, m.deadline, m.event_date or _("nog niet"))
                    for r in series
                    for m in r.missed
                ],
            )
    return built.finish()


# --------------------------------------------------------------------------- yearly count


def build_telling_national(*, user, aggregate: bool) -> Built:
    """The national reference: DUO's yearly counts per RMC region as imported (seed 003,
    Bijlage 6). Never mixed into the region's own count (docs/adr/0116)."""
    years, rows = selectors.telling_imported()
    report = Report(
        _("Landelijke referentie: jaartelling per RMC-regio (DUO)"),
        _(
            "Landelijke cijfers van DUO, niet de cijfers van deze regio. Stroomcijfer (unieke "
            "kinderen per schooljaar). Bron: DUO, via %(source)s."
        )
        % {"source": source_cite("seed 003, Bijlage 6")},
    )
    built = Built.start(report, aggregate=aggregate, years=years, rows=rows)
    if years:
        first, before_last, last = years[0], years[-2] if len(years) > 1 else years[0], years[-1]
        table, columns = [], {y: [] for y in years}
        for row in rows:
            a = (
                pct_change(old=row.counts[first], new=row.counts[last])
                if None not in (row.counts[first], row.counts[last])
                else None
            )
            b = (
                pct_change(old=row.counts[before_last], new=row.counts[last])
                if None not in (row.counts[before_last], row.counts[last])
                else None
            )
            cells = {y: built.n(row.counts[y]) for y in years}
            for y in years:
                columns[y].append(cells[y])
            table.append(
                (
                    row.label,
                    *cells.values(),
                    built.pct(cells[first], cells[last], pct_format(a)),
                    built.pct(cells[before_last], cells[last], pct_format(b)),
                    b,
                )
            )
        # Ordered like Bijlage 6: by the last change, largest first.
        table.sort(key=lambda r: (-(r[-1] if r[-1] is not None else -(10**9)), r[0]))
        head_a = f"% {first[:4]}-{last[-2:]}"
        head_b = f"% {before_last[:4]}-{last[-2:]}"
        report.add(
            _("Aantal absoluut en langdurig relatief verzuim, % verandering"),
            [_("RMC-regio"), *years, head_a, head_b],
            [r[:-1] for r in table],
            [
                _("Bron: DUO (%(source)s).") % {"source": source_cite("seed 003, Bijlage 6")},
                *built.note(),
            ],
        )
        built.extra["table"] = [r[:-1] for r in table]
        built.extra["columns"] = [_("RMC-regio"), *years, head_a, head_b]
        totals = [sum(r.counts[y] or 0 for r in rows) for y in years]
        total_cells = [built.n(t) for t in totals]
        if built.dc is not None:
            for y, cell in zip(years, total_cells, strict=True):
                built.dc.total(cell, columns[y])

        def draw() -> None:
            built.charts.append(
                bar_chart(
                    title=_("Verandering %(a)s tot %(b)s per RMC-regio")
                    % {"a": before_last, "b": last},
                    categories=[r[0] for r in table],
                    series=[
                        Series(
                            _("% verandering"),
                            [None if resolve(r[-2]) == SECONDARY else r[-1] for r in table],
                        )
                    ],
                    unit="%",
                    category_label=_("RMC-regio"),
                )
            )
            built.charts.append(
                line_chart(
                    title=_("Totaal alle regio's per schooljaar"),
                    categories=years,
                    series=[Series(_("aantal"), [_chart_value(c) for c in total_cells])],
                    category_label=_("schooljaar"),
                )
            )

        built.deferred.append(draw)
        report.add(
            _("Totaal alle regio's"),
            [_("schooljaar"), _("aantal"), _("% t.o.v. vorig jaar")],
            [
                (
                    y,
                    total_cells[i],
                    built.pct(
                        total_cells[i - 1],
                        total_cells[i],
                        pct_format(pct_change(old=totals[i - 1], new=totals[i])),
                    )
                    if i
                    else "–",
                )
                for i, y in enumerate(years)
            ],
            built.note(),
        )
    return built.finish()


def telling_default_year(today: dt.date) -> SchoolYear:
    """The leerplichttelling covers a completed school year: the one before today's."""
    return SchoolYear.of(today).previous()


def build_telling(*, user, year: SchoolYear | None, aggregate: bool) -> Built:
    """The region's own leerplichttelling for `year` and the year before, computed from
    Leerrecht's data (absoluut verzuim, LRV flow, exemptions; DOMAIN.md "Figures")."""
    from leerrecht.registry.models import Municipality

    year = year or telling_default_year(timezone.localdate())
    previous = year.previous()
    report = Report(
        _("Leerplichttelling %(year)s van de regio") % {"year": year},
        _(
            "Uit de eigen gegevens van Leerrecht, vergeleken met het schooljaar ervoor "
            "(%(previous)s). De landelijke cijfers van DUO staan op een eigen pagina."
        )
        % {"previous": previous},
    )
    built = Built.start(report, aggregate=aggregate, year=str(year), previous=str(previous))
    computed = []
    for municipality in Municipality.objects.order_by("name"):
        now = selectors.telling_computed(year=year, municipality=municipality)
        before = selectors.telling_computed(year=previous, municipality=municipality)
        if not any(_telling_counts(now) + _telling_counts(before)):
            continue
        computed.append((now, before))
    # The region as a whole, this year and the year before (the same counts summed).
    totals = {
        y: [sum(col) for col in zip(*(_telling_counts(c[i]) for c in computed), strict=True)]
        if computed
        else [0] * len(TELLING_COLUMNS)
        for i, y in enumerate((year, previous))
    }
    total_cells = {y: [built.n(v) for v in totals[y]] for y in totals}
    report.add(
        _("Leerplichttelling van de regio: %(year)s en vorig jaar") % {"year": year},
        [_("schooljaar"), *TELLING_COLUMNS, _("% absoluut verzuim t.o.v. vorig jaar")],
        [
            (str(previous), *total_cells[previous], "–"),
            (
                str(year),
                *total_cells[year],
                built.pct(
                    total_cells[previous][0],
                    total_cells[year][0],
                    pct_format(pct_change(old=totals[previous][0], new=totals[year][0])),
                ),
            ),
        ],
        built.note(),
    )

    def draw() -> None:
        built.charts.append(
            bar_chart(
                title=_("Leerplichttelling van de regio per schooljaar"),
                categories=[str(TELLING_COLUMNS[i]) for i in range(len(TELLING_COLUMNS))],
                series=[
                    Series(str(y), [_chart_value(c) for c in total_cells[y]])
                    for y in (previous, year)
                ],
                category_label=_("telling"),
            )
        )

    built.deferred.append(draw)
    articles = sorted({a for now, _b in computed for a in now.exemptions})
    report.add(
        _("Leerplichttelling %(year)s per gemeente (uit Leerrecht)") % {"year": year},
        [
            _("gemeente"),
            _("absoluut verzuim"),
            _("vorig jaar"),
            _("% verandering"),
            _("LRV bij start"),
            _("LRV nieuw"),
            _("LRV > 3 maanden"),
            *[_("vrijstelling %(a)s") % {"a": a} for a in articles],
        ],
        [
            (
                now.label,
                av := built.n(now.av),
                av_before := built.n(before.av),
                built.pct(av_before, av, pct_format(pct_change(old=before.av, new=now.av))),
                built.n(now.lrv_at_start),
                built.n(now.lrv_new),
                built.n(now.lrv_3m),
                *[built.n(now.exemptions[a]) for a in articles],
            )
            for now, before in computed
        ],
        built.note(),
    )
    return built.finish()


TELLING_COLUMNS = (
    _lazy("absoluut verzuim"),
    _lazy("LRV bij start"),
    _lazy("LRV nieuw"),
    _lazy("LRV > 3 maanden"),
    _lazy("vrijstellingen"),
)


def _telling_counts(t) -> list[int]:
    """One municipality's counts in the order of TELLING_COLUMNS."""
    return [t.av, t.lrv_at_start, t.lrv_new, t.lrv_3m, sum(t.exemptions.values())]


# --------------------------------------------------------------------------- Inspectie


def pseudonym(student_id: int | str) -> str:
    """A stable pseudonymous id per child for the Inspectie form (no BSN, no name)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"inspectie:{student_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"TZ-{digest[:8].upper()}"


INSPECTIE_CATEGORIES = {
    d.R_ABSOLUTE: "absoluut verzuim (niet ingeschreven)",
    d.R_LRV_UNAUTHORISED: "ingeschreven, langer dan 4 weken zonder geldige reden geen onderwijs",
    d.R_EXEMPTION_5A: "vrijstelling art. 5 onder a",
}
INSPECTIE_DURATIONS = (
    (0, 92, "4 weken tot 3 maanden"),
    (92, 183, "3 tot 6 maanden"),
    (183, 100000, "langer dan 6 maanden"),
)


def build_inspectie(*, user, swv, on: dt.date) -> Built:
    scope = selectors.Scope("swv", swv.pk, swv.name)
    stock = selectors.thuiszitter_stock(user=user, on=on, scope=scope)
    quarter = Quarter.of(on)
    report = Report(
        _("Kwartaalopgave thuiszitters aan de Inspectie — %(swv)s") % {"swv": swv.name},
        _("Peildatum %(date)s (%(q)s). Geanonimiseerd: pseudoniem en initialen, geen BSN.")
        % {"date": on.strftime("%d-%m-%Y"), "q": quarter},
    )
    rows = []
    for r in stock.rows:
        reason = r.reasons.get(d.INSPECTIE) or (
            d.R_EXEMPTION_5A if "5a" in r.facts.exemption_articles else None
        )
        if reason not in INSPECTIE_CATEGORIES:
            continue
        rows.append(
            (
                pseudonym(r.key),
                "".join(
                    p[0] + "." for p in r.initials.replace(".", " ").split() if p[:1].isupper()
                ),
                r.date_of_birth.year if r.date_of_birth else "",
                r.sector,
                INSPECTIE_CATEGORIES[reason],
                band(r.duration_days, INSPECTIE_DURATIONS) if r.duration_days else "",
                r.absent_since,
                r.passend_aanbod,
            )
        )
    rows.sort(key=lambda r: (r[4], r[0]))
    report.add(
        _("Thuiszitters en vrijstellingen 5 onder a"),
        [
            _("pseudoniem"),
            _("initialen"),
            _("geboortejaar"),
            _("po/vo"),
            _("categorie"),
            _("duur"),
            _("thuis sinds"),
            _("passend aanbod in zicht"),
        ],
        rows,
    )
    totals = count_by([r[4] for r in rows], order=list(INSPECTIE_CATEGORIES.values()))
    report.add(_("Totalen per categorie"), [_("categorie"), _("aantal")], totals)
    return Built(report, extra={"rows": rows, "totals": totals})


# --------------------------------------------------------------------------- school consultation


def build_school_consultation(*, user, school, on: dt.date) -> Built:
    """One page per school for the periodic meeting of leerplicht, SWV adviser and school
    (seed 000, casus 1: at least every two months with each vo school)."""
    from leerrecht.monitoring.school import school_consultation_data

    data = school_consultation_data(user=user, school=school, on=on)
    report = Report(
        _("Schooloverleg %(school)s") % {"school": school.name},
        _("Overleg leerplicht, SWV en school, %(date)s") % {"date": on.strftime("%d-%m-%Y")},
        page_per_section=False,
    )
    report.add(
        _("Leerlingen om te bespreken: signaal, open melding of casus"),
        [
            _("leerling"),
            _("groep"),
            _("aanwezigheidsniveau"),
            _("% aanwezig (20 dagen)"),
            _("reden"),
            _("volgende actie"),
            _("uiterlijk"),
        ],
        data["risk"],
    )
    report.add(
        _("Nieuwe signalen (sinds vorig overleg)"),
        [_("leerling"), _("signaal"), _("eerste dag")],
        data["signals"],
    )
    report.add(
        _("Open casussen en eerstvolgende termijn"),
        [_("casus"), _("leerling"), _("fase"), _("regie"), _("volgende actie"), _("uiterlijk")],
        data["cases"],
    )
    report.add(_("Cijfers van de school"), [_("maat"), _("waarde")], data["figures"])
    return Built(report, extra=data)
