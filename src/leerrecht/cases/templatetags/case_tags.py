"""Template helpers of the case pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def lr_widget(field):
    """Render a widget with its help text and errors linked (aria-describedby)."""
    ids = []
    attrs = {}
    if field.help_text:
        ids.append(f"{field.auto_id}-help")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    css = field.field.widget.attrs.get("class", "")
    if not css:
        widget = type(field.field.widget).__name__
        attrs["class"] = {
            "Textarea": "utrecht-textarea",
            "Select": "utrecht-select",
            "SelectMultiple": "utrecht-select",
        }.get(widget, "utrecht-textbox")
    return field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
