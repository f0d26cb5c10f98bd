"""{% form_token %}: a fresh one-time token in every rendered form (docs/adr/0114)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from leerrecht.web.form_tokens import FORM_TOKEN_FIELD

register = template.Library()


@register.simple_tag
def form_token() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, uuid.uuid4().hex
    )
