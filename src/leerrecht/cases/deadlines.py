"""Deadlines of the case workflow: when something must happen in a case.

The schema of the case tables and the pure calculator (durations, school calendar,
norms, route steps, escalation ladder, `schedule_compute`, `schedule_preview`) live in
`engine/protocol.py` (no Django); preset files are read only by `engine/presets.py`. This
module adds what the product needs on top: the installation's protocol
(`protocol_current`) and `protocol_load`, which returns a preset's parsed case tables.
"""

from __future__ import annotations

from leerrecht.engine.errors import PresetError
from leerrecht.engine.presets import preset_load
from leerrecht.engine.protocol import (
    ANCHORS,
    MET_BY,
    UNITS,
    Calendar,
    Duration,
    EscalationStep,
    Milestone,
    Norm,
    PreviewRow,
    Protocol,
    ProtocolError,
    Route,
    RouteStep,
    add_duration,
    duration_parse,
    dutch_public_holidays,
    easter_sunday,
    is_school_day,
    is_working_day,
    milestone_next,
    protocol_parse,
    report_again_due,
    schedule_compute,
    schedule_preview,
)

__all__ = [
    "ANCHORS",
    "MET_BY",
    "UNITS",
    "Calendar",
    "Duration",
    "EscalationStep",
    "Milestone",
    "Norm",
    "PreviewRow",
    "Protocol",
    "ProtocolError",
    "Route",
    "RouteStep",
    "add_duration",
    "case_protocol",
    "duration_parse",
    "dutch_public_holidays",
    "easter_sunday",
    "is_school_day",
    "is_working_day",
    "milestone_next",
    "protocol_current",
    "protocol_load",
    "protocol_parse",
    "report_again_due",
    "schedule_compute",
    "schedule_preview",
]


def protocol_load(name_or_path: str) -> Protocol:
    """The case tables of a preset (shipped name or path), through the one loader."""
    try:
        protocol = preset_load(name_or_path=name_or_path).protocol
    except ProtocolError:
        raise
    except PresetError as exc:
        raise ProtocolError(str(exc)) from None
    return protocol


def protocol_current() -> Protocol:
    """The protocol of this installation (setting LEERRECHT_PROTOCOL)."""
    from django.conf import settings  # the one setting read here; the rest is pure

    return protocol_load(settings.LEERRECHT_PROTOCOL)


def case_protocol(case) -> Protocol:
    """The case tables a case's deadlines are computed with: the protocol version the case
    keeps (`Case.protocol_version`, docs/adr/0190), else the shipped preset file."""
    if case.protocol_version_id is None:
        return protocol_load(case.protocol)
    from leerrecht.protocols.selectors import protocol_version_preset

    try:
        return protocol_version_preset(version=case.protocol_version).protocol
    except ProtocolError:
        raise
    except PresetError as exc:
        raise ProtocolError(str(exc)) from None
