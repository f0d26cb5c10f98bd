"""Read side of protocol versions: the version in force, history, diff, the parsed preset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from leerrecht.engine.preset_diff import PresetChange, preset_diff
from leerrecht.engine.presets import Preset, preset_load, preset_parse
from leerrecht.protocols.models import ProtocolVersion


def protocol_version_preset(*, version: ProtocolVersion) -> Preset:
    """The version's content through the one preset loader (cached per content)."""
    return preset_parse(text=version.content, file=version.label)


def protocol_versions(*, preset_name: str) -> QuerySet[ProtocolVersion]:
    """Every version of one protocol, newest first (the history)."""
    return ProtocolVersion.objects.filter(preset_name=preset_name).select_related(
        "author", "published_by", "based_on"
    )


def protocol_version_get(*, preset_name: str, number: int) -> ProtocolVersion | None:
    return protocol_versions(preset_name=preset_name).filter(number=number).first()


def protocol_draft(*, preset_name: str) -> ProtocolVersion | None:
    return protocol_versions(preset_name=preset_name).filter(status="draft").first()


def protocol_version_current(*, preset_name: str, on: dt.date) -> ProtocolVersion | None:
    """The published version in force on `on`: the highest number whose effective date
    has come (the shipped version 1 is in force from the start)."""
    return (
        ProtocolVersion.objects.filter(
            preset_name=preset_name, status=ProtocolVersion.Status.PUBLISHED
        )
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on))
        .order_by("-number")
        .first()
    )


def protocol_current_preset(*, preset_name: str, on: dt.date) -> Preset:
    """The preset in force on `on`: the published version, else the shipped file."""
    version = protocol_version_current(preset_name=preset_name, on=on)
    if version is None:
        return preset_load(name_or_path=preset_name)
    return protocol_version_preset(version=version)


@dataclass(frozen=True, slots=True)
class VersionChanges:
    version: ProtocolVersion
    previous: ProtocolVersion | None
    changes: list[PresetChange]


def protocol_version_changes(*, version: ProtocolVersion) -> VersionChanges:
    """What this version changed compared with the version it was based on."""
    previous = version.based_on
    if previous is None:
        previous = (
            ProtocolVersion.objects.filter(
                preset_name=version.preset_name, number__lt=version.number
            )
            .order_by("-number")
            .first()
        )
    if previous is None:
        return VersionChanges(version, None, [])
    changes = preset_diff(
        protocol_version_preset(version=previous), protocol_version_preset(version=version)
    )
    return VersionChanges(version, previous, changes)


def protocol_ref_preset(*, ref: dict) -> Preset:
    """A simulation side: {"version": id} (a stored version) or {"preset": name} (a
    shipped preset as it is in force today)."""
    from django.utils import timezone

    if "version" in ref:
        return protocol_version_preset(version=ProtocolVersion.objects.get(pk=ref["version"]))
    return protocol_current_preset(preset_name=ref["preset"], on=timezone.localdate())
