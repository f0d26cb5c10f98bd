from django import template

from leerrecht.monitoring.exports import cell_text

register = template.Library()


@register.filter
def cell(value):
    """A report cell as text: Dutch dates, decimal comma, ja/nee (same as the exports)."""
    return cell_text(value)
