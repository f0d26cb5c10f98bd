"""Keyboard helpers for the browser tests (issue 15): walk a page with Tab, check that focus
order follows the page and every focus stop is visible, that every control can be reached,
and operate a control with Enter or Space."""

from __future__ import annotations

import itertools
import re

# Where focus is on the page, and whether it can be seen: an outline or a focus halo.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const halo = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.name || '')
            .trim().slice(0, 40), id: el.id, kw: el.dataset.kw || null,
          top: r.top + window.scrollY, left: r.left, width: r.width, height: r.height,
          // Headless Chromium keeps a date field's focus in its editable parts without
          // matching :focus on the field; those parts draw the browser's own focus box.
          visible: outline || halo || (el.type === 'date' && !el.matches(':focus'))};
}"""

# Every control a user could operate, numbered (data-kw) so the walk can tell which it
# reached. Radio buttons of one group share a number: Tab stops at the group once.
CONTROLS_JS = """() => {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),' +
              'select:not([disabled]), textarea:not([disabled]), summary,' +
              '[tabindex]:not([tabindex="-1"])';
  const out = [], groups = {};
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('[inert], [hidden]') || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    let kw = out.length;
    if (el.type === 'radio') {
      if (el.name in groups) { el.dataset.kw = groups[el.name]; continue; }
      groups[el.name] = kw;
    }
    el.dataset.kw = String(kw);
    out.push((el.tagName.toLowerCase() + ' ' + (el.innerText || el.value || el.name || el.id ||
              '')).trim().slice(0, 60));
  }
  return out;
}"""


def _tab_stops(page, stops: int):
    """Press Tab from the top of the page, up to `stops` times; yields each focus stop
    until focus leaves the page."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.keyboard.press("Home")
    for _ in range(stops):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop is None:
            return
        yield stop


def tab_walk(page, stops: int = 400) -> list[dict]:
    """The focus stops in Tab order, until focus leaves the page or comes back round."""
    walk: list[dict] = []
    for stop in _tab_stops(page, stops):
        if walk and stop["kw"] is not None and stop["kw"] == walk[0]["kw"]:
            break
        walk.append(stop)
    return walk


def walk_problems(walk: list[dict], label: str) -> list[str]:
    """Focus that cannot be seen, or that jumps back up the page."""
    if not walk:
        return [f"{label}: nothing takes keyboard focus"]
    problems = [
        f"{label}: focus not visible on {s['tag']} {s['text']!r}"
        for s in walk
        if not s["visible"] or s["width"] <= 0 or s["height"] <= 0
    ]
    # Focus moves down the page: never back up by more than a line (items on one row
    # may differ a little in height), except to the next column of a grid of cards,
    # which is to the right and starts higher.
    problems += [
        f"{label}: focus jumps up from {a['text']!r} to {b['text']!r}"
        for a, b in itertools.pairwise(walk)
        if b["top"] < a["top"] - 24 and b["left"] <= a["left"] + 40
    ]
    return problems


def keyboard_problems(page, label: str) -> list[str]:
    """Walk the whole page with Tab: every control reached, every stop visible, in order."""
    controls = page.evaluate(CONTROLS_JS)
    walk = tab_walk(page, stops=len(controls) + 10)
    reached = {s["kw"] for s in walk}
    missed = [c for i, c in enumerate(controls) if str(i) not in reached]
    problems = walk_problems(walk, label)
    problems += [f"{label}: not reachable with Tab: {c!r}" for c in missed]
    return problems


def tab_to(page, text: str | re.Pattern, *, stops: int = 400) -> dict:
    """Tab from the top of the page to the control whose text matches; fail if none."""
    pattern = re.compile(re.escape(text), re.I) if isinstance(text, str) else text
    seen: list[str] = []
    for stop in _tab_stops(page, stops):
        seen.append(stop["text"])
        label = page.evaluate(
            "() => { const el = document.activeElement; return [el.labels && el.labels[0] ? "
            "el.labels[0].innerText : '', el.getAttribute('aria-label') || '', "
            "el.tagName === 'SELECT' ? '' : el.innerText || ''].join(' ').replace(/\\s+/g, ' ')"
            ".trim(); }"
        )
        if pattern.search(label):
            assert stop["visible"], f"focus on {label!r} is not visible"
            return stop
    raise AssertionError(
        f"{pattern.pattern!r} is not reachable with Tab on {page.url}; "
        f"{len(seen)} stops, the last ones: {seen[-6:]}"
    )
