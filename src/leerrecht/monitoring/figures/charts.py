"""Server-side SVG charts that are accessible without JavaScript.

Every chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` (the text
alternative), referenced by ``aria-labelledby``; the same numbers are always rendered as
a table next to it (:attr:`Chart.table`). Colours have a contrast ratio of at least 4.5:1
on white, and series differ by marker shape and dash pattern, not by colour alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# Colours with >= 4.5:1 contrast on white (WCAG 1.4.11 needs 3:1 for graphics).
PALETTE = ("#154273", "#a90000", "#1f6b2e", "#6b3fa0", "#8a4b00")
TEXT = "#1a1a1a"
GRID = "#767676"  # 4.5:1 on white
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")
_ids = itertools.count(1)


def _attr(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    description: str
    svg: str
    # The table behind the chart: header row + data rows.
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = field(default_factory=tuple)


def _scale(values: Sequence[float], *, include_zero: bool = True) -> tuple[float, float]:
    lo = min([*values, 0.0] if include_zero else values)
    hi = max([*values, 0.0] if include_zero else values)
    if hi == lo:
        hi = lo + 1
    return lo, hi


def _describe(title: str, categories: Sequence[str], series: Sequence[Series], unit: str) -> str:
    parts = []
    for s in series:
        items = ", ".join(
            f"{c}: {'–' if v is None else _num(v)}{unit}"
            for c, v in zip(categories, s.values, strict=True)
        )
        parts.append(f"{s.name}: {items}" if len(series) > 1 else items)
    return f"{title}. " + "; ".join(parts) + "."


def _table(categories, series, category_label):
    columns = (category_label, *(s.name for s in series))
    rows = tuple((c, *(s.values[i] for s in series)) for i, c in enumerate(categories))
    return columns, rows


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    category_label: str = "",
    target: float | None = None,
    target_label: str = "",
    description: str = "",
) -> Chart:
    """Horizontal bars (long category names stay readable), grouped per category."""
    uid = f"lrchart{next(_ids)}"
    n_series = max(1, len(series))
    bar_h, gap = 14, 8
    group_h = n_series * bar_h + gap
    label_w, width, top = 230, 720, 30
    plot_w = width - label_w - 70
    height = top + len(categories) * group_h + 40
    values = [v for s in series for v in s.values if v is not None]
    if target is not None:
        values.append(target)
    lo, hi = _scale(values or [0.0])
    x = lambda v: label_w + (v - lo) / (hi - lo) * plot_w  # noqa: E731
    desc = description or _describe(title, categories, series, unit)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="lr-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
        f'<line x1="{x(0):.1f}" y1="{top - 6}" x2="{x(0):.1f}" y2="{height - 34}" '
        f'stroke="{GRID}" stroke-width="1"/>',
    ]
    for i, cat in enumerate(categories):
        y0 = top + i * group_h
        out.append(
            f'<text x="{label_w - 6}" y="{y0 + n_series * bar_h / 2 + 4:.1f}" '
            f'text-anchor="end" fill="{TEXT}">{escape(str(cat))}</text>'
        )
        for j, s in enumerate(series):
            v = s.values[i]
            if v is None:
                continue
            x0, x1 = sorted((x(0), x(v)))
            yb = y0 + j * bar_h
            out.append(
                f'<rect x="{x0:.1f}" y="{yb}" width="{max(x1 - x0, 1):.1f}" '
                f'height="{bar_h - 2}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
            tx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
            out.append(
                f'<text x="{tx:.1f}" y="{yb + bar_h - 4}" text-anchor="{anchor}" '
                f'fill="{TEXT}">{_num(v)}{escape(unit)}</text>'
            )
    if target is not None:
        out.append(
            f'<line x1="{x(target):.1f}" y1="{top - 6}" x2="{x(target):.1f}" '
            f'y2="{height - 34}" stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{x(target):.1f}" y="{top - 10}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(target_label or 'norm')} {_num(target)}{escape(unit)}</text>"
        )
    out.extend(_legend(series, y=height - 14, marker="rect"))
    out.append("</svg>")
    columns, rows = _table(categories, series, category_label)
    return Chart(title, desc, "".join(out), columns, rows)


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    category_label: str = "",
    target: float | None = None,
    target_label: str = "",
    description: str = "",
) -> Chart:
    """A trend over ordered categories (quarters, school years); one line per series."""
    uid = f"lrchart{next(_ids)}"
    width, height, left, right, top, bottom = 720, 320, 60, 20, 30, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    if target is not None:
        values.append(target)
    lo, hi = _scale(values or [0.0])
    n = max(1, len(categories) - 1)
    x = lambda i: left + i * plot_w / n  # noqa: E731
    y = lambda v: top + (hi - v) / (hi - lo) * plot_h  # noqa: E731
    desc = description or _describe(title, categories, series, unit)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="lr-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    for k in range(5):  # horizontal grid with values
        v = lo + (hi - lo) * k / 4
        out.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{_num(round(v, 1))}{escape(unit)}</text>"
        )
    for i, cat in enumerate(categories):
        out.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(str(cat))}</text>'
        )
    if target is not None:
        out.append(
            f'<line x1="{left}" y1="{y(target):.1f}" x2="{width - right}" y2="{y(target):.1f}" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{width - right}" y="{y(target) - 6:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(target_label or "norm")} {_num(target)}{escape(unit)}</text>'
        )
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dash = DASHES[j % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for px, py in points:
            out.append(_marker(j, px, py, colour))
    out.extend(_legend(series, y=height - 14, marker="shape"))
    out.append("</svg>")
    columns, rows = _table(categories, series, category_label)
    return Chart(title, desc, "".join(out), columns, rows)


def _marker(j: int, px: float, py: float, colour: str) -> str:
    shape = j % 3
    if shape == 0:
        return f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return (
        f'<polygon points="{px:.1f},{py - 5:.1f} {px + 5:.1f},{py + 4:.1f} '
        f'{px - 5:.1f},{py + 4:.1f}" fill="{colour}"/>'
    )


def _legend(series: Sequence[Series], *, y: int, marker: str) -> list[str]:
    if len(series) < 2:
        return []
    out, cursor = [], 60
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        if marker == "rect":
            out.append(f'<rect x="{cursor}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        else:
            out.append(_marker(j, cursor + 6, y - 4, colour))
        out.append(f'<text x="{cursor + 18}" y="{y}" fill="{TEXT}">{escape(s.name)}</text>')
        cursor += 30 + 7 * len(s.name)
    return out
