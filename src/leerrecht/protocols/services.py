"""Write side of protocol versions: seed from the shipped presets, drafts, publication,
import (docs/adr/0190). Every content change is validated by the one preset loader
(`engine.presets.preset_parse`) and written in a transaction; every change is audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.engine.errors import PresetError
from leerrecht.engine.presets import preset_names, preset_parse, preset_text
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record
from leerrecht.protocols.models import ProtocolVersion
from leerrecht.protocols.selectors import protocol_draft, protocol_version_current

ACTIVITY = "protocolbeheer"


class ProtocolVersionError(Exception):
    """A protocol change that is not allowed; the text is for the user (Dutch)."""


class ProtocolFileError(ProtocolVersionError):
    """The loader refused the text; the message is the loader's (file:line:column: ...)."""


class ProtocolVersionConflict(ProtocolVersionError):
    """The draft changed since the user opened it (someone else saved in between)."""


def _audit(*, actor, action: str, version: ProtocolVersion, detail: str) -> None:
    audit_record(actor=actor, action=action, activity=ACTIVITY, obj=version, detail=detail)


def protocol_versions_seed(*, preset_name: str | None = None) -> list[ProtocolVersion]:
    """Version 1 of each shipped preset (or of one): the file as it ships, published and
    in force from the start. Presets that already have versions are left alone."""
    created = []
    for name in [preset_name] if preset_name else preset_names():
        if ProtocolVersion.objects.filter(preset_name=name).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    ProtocolVersion.objects.create(
                        preset_name=name,
                        number=1,
                        status=ProtocolVersion.Status.PUBLISHED,
                        effective_from=None,
                        content=preset_text(name_or_path=name),
                        reason=_("Meegeleverd protocol"),
                        published_at=timezone.now(),
                    )
                )
        except IntegrityError:
            continue  # seeded at the same moment elsewhere
    return created


def protocol_version_pinned(*, preset_name: str, on: dt.date) -> ProtocolVersion:
    """The version in force on `on`, seeding version 1 from the file when there is none
    yet: what a new case keeps (docs/adr/0190)."""
    version = protocol_version_current(preset_name=preset_name, on=on)
    if version is None:
        protocol_versions_seed(preset_name=preset_name)
        version = protocol_version_current(preset_name=preset_name, on=on)
    if version is None:
        raise ProtocolVersionError(_("Er is geen geldende versie van dit protocol."))
    return version


def _validated(*, preset_name: str, text: str, file: str) -> str:
    """Validate `text` with the one loader; its `name` must stay the protocol's name."""
    try:
        preset = preset_parse(text=text, file=file)
    except PresetError as exc:
        raise ProtocolFileError(str(exc)) from None
    if preset.name != preset_name:
        raise ProtocolVersionError(
            _(
                "%(file)s: name = %(found)r: dit is een versie van een ander protocol (%(name)r verwacht)"
            )
            % {"file": file, "found": preset.name, "name": preset_name}
        )
    return text


def _next_number(preset_name: str) -> int:
    top = ProtocolVersion.objects.filter(preset_name=preset_name).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


def protocol_draft_create(
    *, preset_name: str, author, content: str | None = None, reason: str = ""
) -> ProtocolVersion:
    """A new draft, a copy of the latest published version (or `content`). There is at
    most one draft per protocol: an existing one is returned as is."""
    if preset_name not in preset_names():
        raise ProtocolVersionError(_("Onbekend protocol: %(name)s") % {"name": preset_name})
    protocol_versions_seed(preset_name=preset_name)
    with transaction.atomic():
        existing = protocol_draft(preset_name=preset_name)
        if existing is not None:
            return existing
        base = (
            ProtocolVersion.objects.select_for_update()
            .filter(preset_name=preset_name, status=ProtocolVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )
        number = _next_number(preset_name)
        text = content if content is not None else base.content
        file = f"{preset_name} versie {number}"
        try:
            with transaction.atomic():
                draft = ProtocolVersion.objects.create(
                    preset_name=preset_name,
                    number=number,
                    status=ProtocolVersion.Status.DRAFT,
                    content=_validated(preset_name=preset_name, text=text, file=file),
                    reason=reason,
                    based_on=base,
                    author=author,
                )
        except IntegrityError:
            raise ProtocolVersionError(
                _("Er is intussen al een concept voor dit protocol gemaakt.")
            ) from None
        _audit(
            actor=author,
            action=AuditEvent.Action.CREATE,
            version=draft,
            detail=f"concept {draft.label} op basis van versie {base.number}",
        )
    return draft


def _locked_draft(version: ProtocolVersion) -> ProtocolVersion:
    locked = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != ProtocolVersion.Status.DRAFT:
        raise ProtocolVersionError(
            _("Versie %(n)s is al gepubliceerd en verandert niet meer; maak een nieuw concept.")
            % {"n": locked.number}
        )
    return locked


def protocol_draft_update(
    *,
    version: ProtocolVersion,
    author,
    content: str,
    reason: str,
    expected_digest: str | None = None,
) -> ProtocolVersion:
    """Replace the draft's content (validated as a whole; nothing is saved when invalid).
    With `expected_digest` (the content digest the user's form was built from) a draft
    that someone else changed in between is refused instead of overwritten."""
    if not reason.strip():
        raise ProtocolVersionError(_("Geef een reden voor de wijziging."))
    with transaction.atomic():
        draft = _locked_draft(version)
        if expected_digest is not None and expected_digest != draft.content_digest:
            raise ProtocolVersionConflict(
                _(
                    "Iemand anders heeft het concept intussen gewijzigd. Hieronder staat de "
                    "nieuwe stand; breng uw wijziging opnieuw aan."
                )
            )
        draft.content = _validated(preset_name=draft.preset_name, text=content, file=draft.label)
        draft.reason = reason.strip()
        draft.author = author
        draft.save(update_fields=["content", "reason", "author", "updated_at"])
        _audit(
            actor=author,
            action=AuditEvent.Action.UPDATE,
            version=draft,
            detail=f"concept {draft.label} gewijzigd: {draft.reason}",
        )
    return draft


def protocol_version_import(
    *, preset_name: str, author, text: str, file: str, reason: str
) -> ProtocolVersion:
    """A TOML file (e.g. shared by another region) as this protocol's draft: validated with
    file, line and column in the message; all or nothing."""
    _validated(preset_name=preset_name, text=text, file=file)
    with transaction.atomic():
        draft = protocol_draft(preset_name=preset_name)
        if draft is None:
            return protocol_draft_create(
                preset_name=preset_name, author=author, content=text, reason=reason
            )
        return protocol_draft_update(version=draft, author=author, content=text, reason=reason)


def protocol_version_publish(
    *, version: ProtocolVersion, actor, effective_from: dt.date, reason: str = ""
) -> ProtocolVersion:
    """Publish a draft from `effective_from` (today or later). Running cases keep the
    version they have (cases.Case.protocol_version) until "apply the new rules"."""
    today = timezone.localdate()
    if effective_from < today:
        raise ProtocolVersionError(
            _("Een nieuwe versie kan niet met terugwerkende kracht gelden; kies vandaag of later.")
        )
    with transaction.atomic():
        draft = _locked_draft(version)
        if ProtocolVersion.Status.PUBLISHED not in ProtocolVersion.TRANSITIONS[draft.status]:
            raise ProtocolVersionError(_("Deze versie kan niet worden gepubliceerd."))
        _validated(preset_name=draft.preset_name, text=draft.content, file=draft.label)
        draft.status = ProtocolVersion.Status.PUBLISHED
        draft.effective_from = effective_from
        draft.published_at = timezone.now()
        draft.published_by = actor
        if reason.strip():
            draft.reason = reason.strip()
        draft.save(
            update_fields=[
                "status",
                "effective_from",
                "published_at",
                "published_by",
                "reason",
                "updated_at",
            ]
        )
        _audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            version=draft,
            detail=f"{draft.label} gepubliceerd, geldig vanaf {effective_from.isoformat()}: {draft.reason}",
        )
    return draft
