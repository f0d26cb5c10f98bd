"""At region size the dashboard's figures take seconds to compute (docs/performance.md), so
they are computed once per LEERRECHT_FIGURES_CACHE_SECONDS for everyone with the same
role at the same organisation, and the page says when they were computed."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.monitoring import reports, views
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    settings.LEERRECHT_FIGURES_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _pupil_out_of_school():
    den_haag = MunicipalityFactory(den_haag=True)
    school = OrganisationFactory(school=True, municipality=den_haag)
    pupil = StudentFactory(residence_municipality=den_haag, date_of_birth=dt.date(2014, 5, 1))
    EnrolmentFactory(
        student=pupil, school=school, start=dt.date(2020, 8, 20), end=dt.date(2025, 10, 10)
    )


@freeze_time("2026-11-23 10:15")
def test_second_policy_user_gets_the_same_figures_without_computing_them(
    shared_cache, login, monkeypatch
):
    _pupil_out_of_school()
    organisation = OrganisationFactory()
    first = login(UserFactory(policy=True, organisation=organisation))
    page = first.get(reverse("monitoring:dashboard")).content.decode()
    assert "Stand van 23 november 2026, 11:15." in page  # Europe/Amsterdam

    def not_again(**_kwargs):
        raise AssertionError("figures computed again within the cache time")

    monkeypatch.setattr(reports, "build_thuiszitters", not_again)
    colleague = login(UserFactory(policy=True, organisation=organisation))
    again = colleague.get(reverse("monitoring:dashboard"))
    assert again.status_code == 200
    assert again.content.decode().count("Stand van 23 november 2026, 11:15.") == 1


def test_without_a_cache_time_every_request_computes_the_figures(login, monkeypatch):
    calls = []
    real = reports.build_thuiszitters

    def counting(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(reports, "build_thuiszitters", counting)
    client = login(UserFactory(policy=True))
    for _ in range(2):
        assert client.get(reverse("monitoring:dashboard")).status_code == 200
    assert len(calls) == 2


def test_after_the_cache_time_one_request_recomputes_while_others_get_the_previous_figures(
    shared_cache, login, monkeypatch
):
    from django.core.cache import cache

    client = login(UserFactory(policy=True, organisation=OrganisationFactory()))
    url = reverse("monitoring:dashboard")
    calls = []
    real = reports.build_thuiszitters

    def counting(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(reports, "build_thuiszitters", counting)
    with freeze_time("2026-11-23 10:15") as clock:
        assert "Stand van 23 november 2026, 11:15." in client.get(url).content.decode()
        clock.tick(dt.timedelta(minutes=11))
        # another request holds the marker: it is computing the figures right now
        busy = SimpleNamespace(get=cache.get, add=lambda *_a, **_k: False)
        monkeypatch.setattr(views, "cache", busy)
        stale = client.get(url).content.decode()
        assert "Stand van 23 november 2026, 11:15." in stale and len(calls) == 1
        monkeypatch.setattr(views, "cache", cache)
        fresh = client.get(url).content.decode()
        assert "Stand van 23 november 2026, 11:26." in fresh and len(calls) == 2
