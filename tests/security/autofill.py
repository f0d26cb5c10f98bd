"""Create a row of any model with only the values a test cares about (issue 5 probes).

Required fields the caller does not give are filled with plain values; foreign keys are
taken from `context` (by the target model's label) or created recursively. Other apps'
models change while they are being built; this keeps the probe factories short and
resilient to added fields.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools

from django.apps import apps
from django.db import models
from django.utils import timezone

_counter = itertools.count(1)


def _plain_value(f: models.Field):
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return dt.date(2026, 11, 2)
    if isinstance(f, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(f, models.IntegerField | models.FloatField):
        return 1
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.BinaryField):
        return b""
    if isinstance(f, models.EmailField):
        return f"probe{next(_counter)}@example.org"
    if isinstance(f, models.CharField | models.TextField):
        value = f"probe-{next(_counter)}"
        return value[: f.max_length] if f.max_length else value
    raise TypeError(
        f"autofill: no plain value for {f.model._meta.label}.{f.name} ({type(f).__name__})"
    )


def autofill(label: str, context: dict | None = None, **values):
    """Create and return one `label` ("app.Model") row."""
    context = dict(context or {})
    model = apps.get_model(label)
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in values or f.attname in values:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if f.is_relation and f.related_model._meta.label_lower in context:
            values[f.name] = context[f.related_model._meta.label_lower]
            continue
        if f.has_default() or f.null:
            continue
        if f.is_relation:
            target = f.related_model._meta.label_lower
            if target in context:
                values[f.name] = context[target]
            else:
                values[f.name] = autofill(f.related_model._meta.label, context)
            continue
        if f.blank and isinstance(f, models.CharField | models.TextField):
            continue
        values[f.name] = _plain_value(f)
    return model._default_manager.create(**values)
