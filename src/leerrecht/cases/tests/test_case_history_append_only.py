"""Every change is kept in an append-only history shown as a timeline (issue 4.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.cases.models import AppendOnlyError, CaseEvent
from leerrecht.cases.services import contact_add, plan_action_add

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(open_case):
    event = CaseEvent.objects.filter(case=open_case).first()
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=open_case).update(summary="x")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=open_case).delete()
    assert CaseEvent.objects.get(pk=event.pk).summary != "rewritten"


def test_each_change_appends_exactly_one_event(open_case, lpa):
    before = CaseEvent.objects.filter(case=open_case).count()
    plan_action_add(
        user=lpa,
        case_id=open_case.pk,
        who="mentor",
        what="dagelijks bellen",
        due_on=dt.date(2026, 12, 1),
    )
    contact_add(
        user=lpa,
        case_id=open_case.pk,
        kind="phone",
        occurred_on=dt.date(2026, 11, 20),
        with_parents=True,
    )
    kinds = list(
        CaseEvent.objects.filter(case=open_case).order_by("id").values_list("kind", flat=True)
    )
    assert len(kinds) == before + 2
    assert kinds[-2:] == ["plan_action", "contact"]


def test_timeline_is_shown_newest_first_with_actor(open_case, lpa, login):
    plan_action_add(
        user=lpa,
        case_id=open_case.pk,
        who="mentor",
        what="dagelijks bellen",
        due_on=dt.date(2026, 12, 1),
    )
    body = login(lpa).get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    timeline = body.split('id="h-tijdlijn"')[1]
    assert timeline.index("Actie afgesproken") < timeline.index("Casus geopend")
    assert "Lotte" in timeline
