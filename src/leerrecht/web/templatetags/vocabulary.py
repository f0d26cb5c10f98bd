"""Template filters for the one Dutch vocabulary (leerrecht.web.vocabulary)."""

from django import template

from leerrecht.web import vocabulary

register = template.Library()


@register.filter
def source(text):
    """A citation as users read it: "Routeboek Haaglanden po 2025, fase 2.1"."""
    return vocabulary.source_cite(str(text or ""))


@register.filter
def tier(value):
    return vocabulary.tier_label(value)


@register.filter
def role(value):
    return vocabulary.role_label(value)


@register.filter
def model(value):
    return vocabulary.model_label(str(value or ""))


@register.filter
def fields(names):
    """The audit log's field list in Dutch, comma separated."""
    return ", ".join(vocabulary.field_label(str(n)) for n in names or [])


@register.filter
def escalation_step(key, case):
    """An escalation step's label from the case's protocol ("Stap 1 - Intercollegiale ...")."""
    return vocabulary.escalation_label(str(key), protocol=getattr(case, "protocol", ""))


@register.filter
def job_kind(value):
    return vocabulary.job_kind_label(str(value or ""))


@register.filter
def audit_detail(value):
    return vocabulary.audit_detail_text(str(value or ""))


@register.filter
def window_facts(window):
    """A melding's absence overview as Dutch label/value pairs."""
    items = dict(window or {})
    items.update((window or {}).get("details") or {})
    return vocabulary.window_facts(items)
