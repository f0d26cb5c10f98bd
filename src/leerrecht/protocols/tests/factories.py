"""Factories for protocol versions (traits: draft, published)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from leerrecht.engine.presets import preset_text
from leerrecht.protocols.models import ProtocolVersion


class ProtocolVersionFactory(DjangoModelFactory):
    class Meta:
        model = ProtocolVersion

    preset_name = "haaglanden-po"
    number = factory.Sequence(lambda n: n + 2)
    status = ProtocolVersion.Status.DRAFT
    content = factory.LazyAttribute(lambda o: preset_text(name_or_path=o.preset_name))
    reason = "test"

    class Params:
        lowered = factory.Trait(
            content=factory.LazyAttribute(
                lambda o: preset_text(name_or_path=o.preset_name).replace(
                    "more_than_hours = 16", "more_than_hours = 10"
                )
            )
        )
