"""Hypothesis strategies: random students as runs of attendance, sickness, truancy."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from leerrecht.engine.reference import Day
from leerrecht.engine.tests.conftest import school_days

# a school calendar that crosses 1 August (late_9x reset) and a holiday week
CALENDAR = school_days(40, date(2025, 6, 2)) + school_days(60, date(2025, 8, 18))
QUARTERS = st.integers(min_value=0, max_value=24).map(lambda q: q / 4)  # 0 .. 6 h


@st.composite
def day_kind(draw, sid: str, d: date, sched: float) -> Day:
    kind = draw(st.sampled_from(["present", "present", "sick", "unauth", "auth", "mixed"]))
    late = draw(st.sampled_from([0, 0, 0, 1, 2]))
    if kind == "present":
        return Day(sid, d, sched, late=late)
    if kind in ("sick", "unauth", "auth"):
        full = draw(st.booleans())
        h = sched if full else min(sched, draw(QUARTERS))
        col = {"sick": "sick_hours", "unauth": "unauthorised_hours", "auth": "authorised_hours"}
        shs = int(kind == "sick" and not full and draw(st.booleans()))
        return Day(sid, d, sched, **{col[kind]: h}, sent_home_sick=shs)
    u = min(sched, draw(QUARTERS))
    s = min(sched - u, draw(QUARTERS))
    a = min(sched - u - s, draw(QUARTERS))
    return Day(sid, d, sched, u, s, a, late=late)


@st.composite
def students(draw, max_students: int = 4) -> list[Day]:
    out: list[Day] = []
    n_students = draw(st.integers(1, max_students))
    for k in range(n_students):
        sid = f"S{k}"
        start = draw(st.integers(0, 30))
        length = draw(st.integers(1, len(CALENDAR) - start))
        days = CALENDAR[start : start + length]
        if draw(st.booleans()):  # some students miss calendar days (their own days only)
            days = [d for d in days if draw(st.integers(0, 9)) > 0] or days[:1]
        sched = draw(st.sampled_from([6.0, 5.0, 4.5, 0.0]))
        i = 0
        while i < len(days):
            run_len = draw(st.integers(1, 25))
            template = draw(day_kind(sid, days[i], sched))
            for d in days[i : i + run_len]:
                # runs repeat one kind of day, so long spells and long absences occur
                out.append(
                    Day(
                        sid,
                        d,
                        template.scheduled_hours,
                        template.unauthorised_hours,
                        template.sick_hours,
                        template.authorised_hours,
                        draw(st.sampled_from([0, 0, 0, 1])),
                        template.sent_home_sick,
                    )
                )
            i += run_len
    return out
