"""Protocols as versioned data: seeded from the shipped files through the one loader,
drafts validated as a whole, publication audited, history with what changed, TOML
export/import all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.engine.presets import preset_text
from leerrecht.privacy.models import AuditEvent
from leerrecht.protocols.editing import toml_value_set
from leerrecht.protocols.models import ProtocolVersion
from leerrecht.protocols.selectors import (
    protocol_current_preset,
    protocol_version_changes,
    protocol_version_current,
    protocol_versions,
)
from leerrecht.protocols.services import (
    ProtocolVersionError,
    protocol_draft_create,
    protocol_draft_update,
    protocol_version_import,
    protocol_version_publish,
    protocol_versions_seed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(role=Role.OPERATOR, organisation=None, first_name="Bea")


def _lowered(text: str) -> str:
    return toml_value_set(
        text, table="signals.unauthorised_16h_4w", key="more_than_hours", value=10
    )


def test_version_1_is_the_shipped_file_in_force_from_the_start():
    ProtocolVersion.objects.all().delete()  # setup seeded them (ADR 0193): seed afresh
    created = protocol_versions_seed()
    assert {v.preset_name for v in created} >= {"haaglanden-po", "landelijk"}
    first = protocol_version_current(preset_name="haaglanden-po", on=dt.date(2000, 1, 1))
    assert first.number == 1 and first.status == ProtocolVersion.Status.PUBLISHED
    assert first.content == preset_text(name_or_path="haaglanden-po")
    assert protocol_versions_seed() == []  # seeding twice adds nothing


def test_a_published_draft_applies_from_its_effective_date_and_is_audited(operator):
    draft = protocol_draft_create(preset_name="haaglanden-po", author=operator)
    assert (draft.number, draft.status, draft.based_on.number) == (2, "draft", 1)
    draft = protocol_draft_update(
        version=draft, author=operator, content=_lowered(draft.content), reason="preventief eerder"
    )
    today = timezone.localdate()
    later = today + dt.timedelta(days=7)
    protocol_version_publish(version=draft, actor=operator, effective_from=later)
    assert protocol_version_current(preset_name="haaglanden-po", on=today).number == 1
    assert protocol_version_current(preset_name="haaglanden-po", on=later).number == 2
    preset = protocol_current_preset(preset_name="haaglanden-po", on=later)
    assert preset.signal("unauthorised_16h_4w").params["more_than_hours"] == 10
    changes = protocol_version_changes(version=draft).changes
    assert [(c.path, c.before, c.after) for c in changes] == [
        ("signals.unauthorised_16h_4w.more_than_hours", 16.0, 10.0)
    ]
    history = [
        (v.number, v.status, v.reason) for v in protocol_versions(preset_name="haaglanden-po")
    ]
    assert history == [
        (2, "published", "preventief eerder"),
        (1, "published", "Meegeleverd protocol"),
    ]
    audit = AuditEvent.objects.filter(processing_activity="protocolbeheer").order_by("pk")
    assert [e.action for e in audit] == ["create", "update", "update"]
    assert "geldig vanaf " + later.isoformat() in audit.last().detail
    with pytest.raises(ProtocolVersionError, match="al gepubliceerd"):
        protocol_draft_update(version=draft, author=operator, content=draft.content, reason="x")


def test_an_invalid_draft_saves_nothing_and_names_line_and_column(operator):
    draft = protocol_draft_create(preset_name="haaglanden-po", author=operator)
    bad = draft.content.replace("more_than_hours = 16", "more_than_hours = -1")
    with pytest.raises(ProtocolVersionError, match=r"haaglanden-po versie 2:23:1: signals"):
        protocol_draft_update(version=draft, author=operator, content=bad, reason="fout")
    draft.refresh_from_db()
    assert "more_than_hours = 16" in draft.content
    with pytest.raises(ProtocolVersionError, match="terugwerkende kracht"):
        protocol_version_publish(
            version=draft,
            actor=operator,
            effective_from=timezone.localdate() - dt.timedelta(days=1),
        )


def test_import_of_an_exported_version_round_trips_and_bad_files_change_nothing(operator):
    protocol_versions_seed(preset_name="haaglanden-po")
    exported = _lowered(
        protocol_version_current(preset_name="haaglanden-po", on=dt.date.today()).content
    )
    with pytest.raises(ProtocolVersionError, match=r"^gedeeld\.toml:\d+:\d+: not valid TOML"):
        protocol_version_import(
            preset_name="haaglanden-po",
            author=operator,
            text=exported.replace("[case_settings]", "[case_settings"),
            file="gedeeld.toml",
            reason="uit Drechtsteden",
        )
    with pytest.raises(ProtocolVersionError, match="ander protocol"):
        protocol_version_import(
            preset_name="landelijk", author=operator, text=exported, file="x.toml", reason="r"
        )
    assert not ProtocolVersion.objects.filter(status="draft").exists()
    draft = protocol_version_import(
        preset_name="haaglanden-po", author=operator, text=exported, file="gedeeld.toml", reason="r"
    )
    assert draft.status == "draft" and draft.content == exported


def test_the_editor_keeps_comments_and_adds_a_missing_key():
    text = '[signals.late_9x]\nleads_to = ["report_duo"]  # statutory\n\n[norms.a]\ndue = "2 weeks"  # seed 004, 1\n'
    edited = toml_value_set(text, table="norms.a", key="due", value="3 weeks")
    assert 'due = "3 weeks"  # seed 004, 1' in edited
    edited = toml_value_set(edited, table="signals.late_9x", key="at_least_times", value=7)
    assert edited.splitlines()[:3] == [
        "[signals.late_9x]",
        'leads_to = ["report_duo"]  # statutory',
        "at_least_times = 7",
    ]


def test_a_loader_message_reaches_the_user_in_dutch_with_its_place():
    from leerrecht.protocols.labels import loader_message_text

    assert loader_message_text("gedeeld.toml:4:7: not valid TOML: Expected '=' after a key") == (
        "gedeeld.toml, regel 4, kolom 7: dit is geen geldig TOML-bestand."
    )
    assert loader_message_text(
        "gedeeld.toml: signals: at least one [signals.<id>] table is required"
    ) == ("gedeeld.toml: dit voldoet niet aan de regels voor een protocol.")
