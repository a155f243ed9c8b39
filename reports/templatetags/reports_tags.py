"""Small display helpers for the assessment pages: {% load reports_tags %}."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def signed(value, digits=2):
    """+3,25 / −1,50 / 0,00 for a change between semesters; empty when unknown."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = floatformat(abs(number), digits)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return text


@register.filter
def score(value, digits=2):
    """A score or total with up to ``digits`` decimals, a dash when there is none."""
    if value is None or value == "":
        return "—"
    return floatformat(value, f"-{digits}")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def at(sequence, index):
    """The item at ``index`` of a list (a table's column label for one cell)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""
