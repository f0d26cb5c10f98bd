import re

from django import template

from leerrecht.monitoring.exports import cell_text
from leerrecht.monitoring.figures.charts import nl_number

register = template.Library()

_PERCENT = re.compile(r"^(-?\d+(?:[.,]\d+)?)%$")


@register.filter
def with_columns(row, columns):
    """Pairs (value, column name) of a table row, for `cell`."""
    return list(zip(row, columns, strict=False))


@register.filter
def cell(value, column=""):
    """A report cell as text: Dutch dates, ja/nee (same as the exports); on screen numbers
    are written the Dutch way (6.722, 12,5, -3 %), where the exports keep plain digits
    for spreadsheets. Years (a column named "...jaar") are written as they are: 2020."""
    if "jaar" in str(column).lower() and isinstance(value, int):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return nl_number(value)
    if isinstance(value, str) and (match := _PERCENT.match(value)):
        number = match.group(1).replace(",", ".")
        return f"{nl_number(float(number))}\u00a0%"
    return cell_text(value)
