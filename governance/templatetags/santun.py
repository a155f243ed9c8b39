"""Template helpers used everywhere (registered as builtins in settings)."""

from django import template
from django.urls import reverse
from django.utils import formats, timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def tenant_url(context, name, *args, **kwargs):
    """Reverse a URL inside the current institution: {% tenant_url 'sanctions:report_detail' pk=1 %}."""
    institution = context["request"].institution
    return reverse(name, args=args or None, kwargs={"institution": institution.slug, **kwargs})


@register.filter
def can(access, permission):
    """{% if access|can:'sanctions.decide' %}"""
    return bool(access) and access.has(permission)


@register.filter
def localdt(value, institution=None):
    """A date and time in the institution's zone with its abbreviation: "8 Agu 2020, 10.00 WIB"."""
    if not value:
        return ""
    tz = institution.tzinfo if institution else timezone.get_current_timezone()
    local = timezone.localtime(value, tz)
    label = institution.tz_abbreviation if institution else local.tzname()
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {label}"


@register.filter
def localdate(value, institution=None):
    if not value:
        return ""
    if hasattr(value, "hour"):
        tz = institution.tzinfo if institution else timezone.get_current_timezone()
        value = timezone.localtime(value, tz).date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def bs(field):
    """Render a bound form field with Bootstrap classes and accessible error/help wiring."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    if input_type in ("checkbox", "radio") and not getattr(widget, "allow_multiple_selected", False):
        css = "form-check-input"
    elif widget.__class__.__name__ in ("Select", "SelectMultiple", "NullBooleanSelect"):
        css = "form-select"
    elif widget.__class__.__name__ in ("CheckboxSelectMultiple", "RadioSelect"):
        css = ""
    else:
        css = "form-control"
    attrs = {}
    existing = widget.attrs.get("class", "")
    classes = " ".join(c for c in (existing, css, "is-invalid" if field.errors else "") if c)
    if classes:
        attrs["class"] = classes
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
