"""Opening a protocol page writes nothing but its audit entry: version 1 of every shipped
preset exists from setup on (ADR 0193), not from the first page view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerrecht.engine.presets import preset_names
from leerrecht.privacy.models import AuditEvent
from leerrecht.protocols.models import ProtocolVersion

pytestmark = pytest.mark.django_db
NAME = "haaglanden-po"


def test_every_shipped_preset_has_version_1_from_setup_on():
    seeded = dict(ProtocolVersion.objects.filter(number=1).values_list("preset_name", "status"))
    assert seeded == dict.fromkeys(preset_names(), ProtocolVersion.Status.PUBLISHED)


def test_a_get_of_any_protocol_page_writes_only_its_audit_entry(login, operator):
    client = login(operator)
    before = list(ProtocolVersion.objects.order_by("pk").values())
    audit = AuditEvent._meta.db_table
    pages = [
        reverse("beheer:protocols"),
        reverse("beheer:protocol_detail", args=[NAME]),
        reverse("beheer:protocol_versions", args=[NAME]),
        reverse("beheer:protocol_draft", args=[NAME]),
        reverse("beheer:protocol_simulate", args=[NAME]),
        reverse("beheer:protocol_export", args=[NAME, 1]),
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code in (200, 302), url
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        # the audit entry, and the sliding session's expiry (not protocol data)
        assert any(audit in sql for sql in writes), url
        assert all(audit in sql or "django_session" in sql for sql in writes), (url, writes)
    assert list(ProtocolVersion.objects.order_by("pk").values()) == before


def test_a_page_view_does_not_seed_a_protocol_that_has_no_versions(login, operator):
    ProtocolVersion.objects.filter(preset_name=NAME).delete()
    client = login(operator)
    for view in ("protocol_versions", "protocol_draft", "protocol_simulate"):
        assert client.get(reverse(f"beheer:{view}", args=[NAME])).status_code in (200, 302)
    assert not ProtocolVersion.objects.filter(preset_name=NAME).exists()
