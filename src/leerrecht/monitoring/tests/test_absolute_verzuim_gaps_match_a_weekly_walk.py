"""The yearly count's gaps without enrolment or exemption (absolute verzuim episodes) are
computed on week numbers; they must equal walking the year week by week, as the count
was first written (a week is covered when an enrolment or exemption covers its day)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from leerrecht.monitoring.selectors import AV_TRANSFER_GAP_DAYS, av_gaps

START = dt.date(2024, 8, 1)


def walk_by_week(first, last, covered):
    gaps, day, gap_start = [], first, None
    while day <= last:
        is_covered = any(a <= day and (b is None or b >= day) for a, b in covered)
        if not is_covered and gap_start is None:
            gap_start = day
        if is_covered and gap_start is not None:
            if (day - gap_start).days > AV_TRANSFER_GAP_DAYS:
                gaps.append((gap_start, day))
            gap_start = None
        day += dt.timedelta(days=7)
    if gap_start is not None:
        later = [a for a, _b in covered if a > gap_start]
        if ((min(later) if later else last) - gap_start).days > AV_TRANSFER_GAP_DAYS:
            gaps.append((gap_start, min(later) if later else None))
    return gaps


days = st.integers(min_value=-120, max_value=500).map(lambda n: START + dt.timedelta(days=n))


@st.composite
def period(draw):
    a = draw(days)
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
    return a, None if length is None else a + dt.timedelta(days=length)


@settings(max_examples=400, deadline=None)
@given(
    first_offset=st.integers(min_value=0, max_value=200),
    length=st.integers(min_value=0, max_value=364),
    covered=st.lists(period(), max_size=5),
)
def test_gaps_equal_the_weekly_walk(first_offset, length, covered):
    first = START + dt.timedelta(days=first_offset)
    last = first + dt.timedelta(days=length)
    assert av_gaps(first=first, last=last, covered=covered) == walk_by_week(first, last, covered)


def test_a_summer_transfer_is_not_a_gap_but_a_term_out_of_school_is():
    year_end = dt.date(2025, 7, 31)
    transfer = [(dt.date(2023, 8, 21), dt.date(2024, 7, 12)), (dt.date(2024, 8, 26), None)]
    assert av_gaps(first=START, last=year_end, covered=transfer) == []
    out = [(dt.date(2023, 8, 21), dt.date(2024, 10, 1)), (dt.date(2025, 1, 6), None)]
    gaps = av_gaps(first=START, last=year_end, covered=out)
    assert (
        len(gaps) == 1 and gaps[0][0] > dt.date(2024, 10, 1) and gaps[0][1] <= dt.date(2025, 1, 9)
    )
