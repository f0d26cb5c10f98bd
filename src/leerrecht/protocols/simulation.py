"""The simulator's result as a page: side by side per signal, school, municipality and
week; who newly enters and who drops out, named only within the user's scope
(privacy/query.py); for users who see no children, counts under the region's minimum are
suppressed with the same disclosure control as the monitoring figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from leerrecht.attendance.signal_labels import signal_label
from leerrecht.engine.simulate import ANY_SIGNAL, UNKNOWN_GROUP
from leerrecht.monitoring.reports import disclosure_threshold
from leerrecht.privacy.disclosure import Disclosure
from leerrecht.privacy.query import students_for_user, user_sees_children

DIMENSION_LABELS = {
    "total": _("Totaal"),
    "school": _("Per school"),
    "municipality": _("Per gemeente"),
    "week": _("Per week van het eerste signaal"),
}


def _signal_text(signal: str) -> str:
    return str(_("Eén of meer signalen")) if signal == ANY_SIGNAL else str(signal_label(signal))


def _group_text(dimension: str, group: str) -> str:
    if group == UNKNOWN_GROUP:
        return str(_("onbekend"))
    if dimension == "week":
        year, week = group.split("-W")
        return _("week %(w)s van %(y)s") % {"w": int(week), "y": year}
    return group


def _case_cells(dc: Disclosure, cases: dict) -> dict:
    """The open-case figures as cells of the page's disclosure control: the number of
    cases = those that would move + those that cannot take the candidate + the rest (not
    shown, but a reader can work it out), and per deadline how many cases shift."""
    cells = {key: dc.count(cases.get(key, 0)) for key in ("cases", "moved", "refused")}
    rest = cells["cases"].value - cells["moved"].value - cells["refused"].value
    dc.relation(
        [(1, cells["cases"]), (-1, cells["moved"]), (-1, cells["refused"]), (-1, dc.implied(rest))]
    )
    cells["milestones"] = [
        [dc.count(row[key]) for key in ("earlier", "later", "new", "dropped")]
        for row in cases.get("milestones", [])
    ]
    return cells


def _kpi_outcome_cells(dc: Disclosure, rows: list[dict]) -> list[dict]:
    """Per KPI and quarter, per side: achieved and judged cases as cells, the share as a
    percentage of the page's disclosure control (shown only over two shown numbers)."""
    out = []
    for row in rows:
        cells = {"label": row["label"], "quarter": row["quarter"]}
        for side in ("before", "after"):
            if row[side] is None:
                cells[side] = None
                continue
            achieved, evaluated, target = row[side]
            a, e = dc.count(achieved), dc.count(evaluated)
            pct = 100 * achieved / evaluated if evaluated else None
            cells[side] = {
                "achieved": a,
                "evaluated": e,
                "target": target,
                "pct": dc.percent(a, e, f"{pct:.0f}%") if pct is not None else None,
                "met": None if pct is None else pct >= target,
            }
        out.append(cells)
    return out


def _kpi_outcome_rows(cells: list[dict], *, sees: bool) -> list[dict]:
    rows = []
    for row in cells:
        year, number = row["quarter"].split("-Q")
        out = {
            "label": row["label"],
            "quarter": _("kwartaal %(q)s van %(y)s") % {"q": number, "y": year},
        }
        for side in ("before", "after"):
            c = row[side]
            if c is None:
                out[side] = ""
                continue
            if c["pct"] is None:
                out[side] = _("nog niet te beoordelen")
                continue
            shown = c["pct"].text if sees else c["pct"].shown
            if shown == "x":  # the share is suppressed: so is whether it met the target
                out[side] = "x"
                continue
            verdict = _("gehaald") if c["met"] else _("niet gehaald")
            out[side] = _("%(pct)s van %(n)s (doel %(t)s%%): %(v)s") % {
                "pct": shown,
                "n": c["evaluated"].value if sees else c["evaluated"].shown,
                "t": f"{c['target']:g}",
                "v": verdict,
            }
        rows.append(out)
    return rows


def simulation_view(*, job, user) -> dict:
    result = job.result
    sees = user_sees_children(user)
    dc = Disclosure(threshold=disclosure_threshold())
    cells = {}
    for dimension, group, signal, before, after in result["rows"]:
        cells[(dimension, group, signal)] = (dc.count(before), dc.count(after))
    # A breakdown adds up to the total: a reader could subtract shown counts.
    for dimension in ("school", "municipality", "week"):
        for (_dim, _group, signal), (total_b, total_a) in [
            (k, v) for k, v in cells.items() if k[0] == "total"
        ]:
            parts = [v for k, v in cells.items() if k[0] == dimension and k[2] == signal]
            if parts:
                dc.total(total_b, [p[0] for p in parts])
                dc.total(total_a, [p[1] for p in parts])
    cases = result.get("cases") or {}
    case_cells = _case_cells(dc, cases)
    outcome_cells = _kpi_outcome_cells(dc, result.get("kpi_outcomes") or [])
    if not sees:
        dc.protect()
    tables = []
    for dimension, label in DIMENSION_LABELS.items():
        rows = []
        for (dim, group, signal), (b, a) in cells.items():
            if dim != dimension:
                continue
            shown_b = b.value if sees else b.shown
            shown_a = a.value if sees else a.shown
            both = isinstance(shown_b, int) and isinstance(shown_a, int)
            rows.append(
                {
                    "group": _group_text(dim, group),
                    "signal": _signal_text(signal),
                    "before": shown_b,
                    "after": shown_a,
                    "difference": (f"{a.value - b.value:+d}" if both else "x"),
                }
            )
        if rows:
            tables.append({"label": label, "rows": rows, "dimension": dimension})
    named = {"entering": [], "leaving": []}
    shown_ids: list[int] = []
    if sees:
        scope = students_for_user(user)
        for key in named:
            for signal, ids in result.get(key, {}).items():
                if signal == ANY_SIGNAL or not ids:
                    continue
                students = list(scope.filter(pk__in=ids).order_by("surname", "given_names"))
                shown_ids += [s.pk for s in students]
                if students:
                    named[key].append({"signal": _signal_text(signal), "students": students})
    case_rows = []
    for row, counts in zip(cases.get("milestones", []), case_cells["milestones"], strict=True):
        changed = row["earlier"] + row["later"]
        case_rows.append(
            {
                "label": row["label"],
                "counts": [c.value if sees else c.shown for c in counts],
                "mean": f"{row['days'] / changed:+.0f}" if changed and sees else "",
            }
        )
    case_totals = {
        key: (cell.value if sees else cell.shown)
        for key, cell in case_cells.items()
        if key != "milestones"
    }
    labels = result.get("labels") or job.payload.get("labels", {})
    detail = (
        f"simulatie {labels.get('candidate', '')} tegen {labels.get('current', '')}: "
        f"{len(set(shown_ids))} kinderen bij naam getoond"
        + (f" ({','.join(map(str, sorted(set(shown_ids))))})" if shown_ids else "")
    )
    return {
        "job": job,
        "labels": job.payload.get("labels", {}),
        "tables": tables,
        "named": named,
        "sees_children": sees,
        "threshold": dc.threshold,
        "cases": case_totals,
        "case_rows": case_rows,
        "kpis": result.get("kpis", []),
        "kpi_outcomes": _kpi_outcome_rows(outcome_cells, sees=sees),
        "audit_detail": detail,
        "shown_student_ids": sorted(set(shown_ids)),
    }
