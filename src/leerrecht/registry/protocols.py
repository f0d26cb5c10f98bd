"""Which protocol preset applies to a school, a pupil or a case (ADR 0110).

The region's protocol (settings.LEERRECHT_PROTOCOL) is the region configuration. Its
table ``[sector_presets]`` maps a school sector (po, so, vo, vso, mbo) to the preset that
applies to schools of that sector; a sector without an entry, or a region preset without
the table, uses the region preset itself. Figures of the region (KPI targets, thuiszitter
definitions) keep coming from the region preset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from leerrecht.engine.presets import preset_load
from leerrecht.registry.models import Enrolment, Organisation, OrganisationKind

__all__ = [
    "protocol_for_organisation",
    "protocol_for_school_type",
    "protocol_for_student",
    "protocols_for_students",
    "region_protocol",
    "sector_presets",
]


def region_protocol() -> str:
    return settings.LEERRECHT_PROTOCOL


def sector_presets(region: str | None = None) -> dict[str, str]:
    """The region's sector -> preset name mapping (empty when it has none)."""
    table = preset_load(name_or_path=region or region_protocol()).extra.get("sector_presets", {})
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def protocol_for_school_type(school_type: str, *, region: str | None = None) -> str:
    region = region or region_protocol()
    return sector_presets(region).get(school_type or "", region)


def protocol_for_organisation(organisation: Organisation | None, *, region: str | None = None):
    """A school gets its sector's preset; any other organisation the region preset."""
    if organisation is None or organisation.kind != OrganisationKind.SCHOOL:
        return region or region_protocol()
    return protocol_for_school_type(organisation.school_type, region=region)


def protocols_for_students(
    student_ids: Iterable[int], *, on: dt.date, region: str | None = None
) -> dict[int, str]:
    """Preset per student from the school type of the enrolment current on `on` (the
    latest one before it when none is current); no enrolment: the region preset."""
    region = region or region_protocol()
    mapping = sector_presets(region)
    ids = list(student_ids)
    out = dict.fromkeys(ids, region)
    if not mapping or not ids:
        return out
    has_current: set[int] = set()
    chunk = 900  # SQLite's bound-parameter limit
    for i in range(0, len(ids), chunk):
        rows = (
            Enrolment.objects.filter(student_id__in=ids[i : i + chunk], start__lte=on)
            .order_by("student_id", "start")
            .values_list("student_id", "school__school_type", "end")
        )
        for student_id, school_type, end in rows:
            # The latest current enrolment wins; without one, the latest ended one.
            current = end is None or end >= on
            if current or student_id not in has_current:
                out[student_id] = mapping.get(school_type or "", region)
            if current:
                has_current.add(student_id)
    return out


def protocol_for_student(student, *, on: dt.date | None = None, region: str | None = None):
    on = on or dt.date.today()
    return protocols_for_students([student.pk], on=on, region=region)[student.pk]
