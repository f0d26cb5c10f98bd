"""New signals follow the protocol version in force: after the functional administrator
publishes "more than 10 hours" instead of 16, an import flags a pupil with 12 hours
(docs/adr/0190); before the effective date the shipped threshold still applies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.attendance.models import SignalHit
from leerrecht.attendance.services import attendance_import_create
from leerrecht.attendance.tests.helpers import student_rows, write_csv
from leerrecht.protocols.editing import toml_value_set
from leerrecht.protocols.services import (
    protocol_draft_create,
    protocol_draft_update,
    protocol_version_publish,
)

pytestmark = pytest.mark.django_db
TWELVE_HOURS = {9: 6, 10: 6}


def _publish_ten_hours(on: dt.date) -> None:
    operator = UserFactory(role=Role.OPERATOR, organisation=None)
    draft = protocol_draft_create(preset_name="haaglanden-po", author=operator)
    text = toml_value_set(
        draft.content, table="signals.unauthorised_16h_4w", key="more_than_hours", value=10
    )
    draft = protocol_draft_update(version=draft, author=operator, content=text, reason="eerder")
    protocol_version_publish(version=draft, actor=operator, effective_from=on)


@pytest.mark.parametrize("days_until_effective", [0, 1])
def test_signals_use_the_threshold_in_force(tmp_path, coordinator, enrolled, days_until_effective):
    pupil = enrolled("S-1")
    _publish_ten_hours(timezone.localdate() + dt.timedelta(days=days_until_effective))
    path = write_csv(tmp_path / "v.csv", student_rows("S-1", unauthorised=TWELVE_HOURS))
    attendance_import_create(
        user=coordinator, file=path, original_name="v.csv", protocol="haaglanden-po"
    )
    hits = list(SignalHit.objects.filter(student=pupil).values_list("signal", flat=True))
    assert hits == (["unauthorised_16h_4w"] if days_until_effective == 0 else [])
