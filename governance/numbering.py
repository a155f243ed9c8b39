"""Official letter numbers: the template an institution sets and how a number is made from it.

The template is checked when it is saved (the settings form, the admin, the model) and again when a
letter is numbered; an unusable template is refused with a message, never replaced silently by the
default. The letter kinds are registered by the app that issues them (sanctions registers its warning
letter in its ``AppConfig.ready``), each with its own archive classification code, so governance
needs no knowledge of them.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDERS = ("seq", "kode_jabatan", "kode_klasifikasi", "MM", "YYYY", "YY", "DD")
DEFAULT_TEMPLATE = "B-{seq}/{kode_jabatan}/{kode_klasifikasi}/{MM}/{YYYY}"
DEFAULT_CLASSIFICATION = "KP.04.2"  # Kemenag's classification of staff discipline letters


@dataclass(frozen=True)
class LetterKind:
    key: str
    label: str
    # (institution, year) -> the sequence number the next letter of that year would get, without
    # reserving it (the settings page previews the next number with it).
    next_seq: Callable[[object, int], int] | None = None


_kinds: dict[str, LetterKind] = {}


def register_letter_kind(key: str, label, *, next_seq: Callable[[object, int], int] | None = None) -> None:
    """Called by the app that issues letters of this kind, from its ``AppConfig.ready``."""
    _kinds[key] = LetterKind(key, label, next_seq)


def letter_kinds() -> list[LetterKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def classification_for(institution, kind: str) -> str:
    """The archive classification code the institution uses for letters of ``kind``."""
    overrides = institution.letter_classification_overrides or {}
    return (overrides.get(kind) or institution.letter_classification_code or DEFAULT_CLASSIFICATION).strip()


def validate_number_template(template: str) -> None:
    """Raise ``ValidationError`` (code ``invalid_template``) when ``template`` cannot number letters."""
    template = template or ""
    if not template.strip():
        raise ValidationError(_("Write the number template, for example %(example)s.") % {"example": DEFAULT_TEMPLATE},
                              code="invalid_template")
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError:
        raise ValidationError(_("The number template has an unmatched brace: write placeholders as {seq}."),
                              code="invalid_template") from None
    unknown = sorted({name or "{}" for name, _spec, _conv in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("The number template has an unknown placeholder: %(names)s. Allowed: %(allowed)s.")
            % {"names": ", ".join(f"{{{name}}}" if name != "{}" else name for name in unknown),
               "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)},
            code="invalid_template")
    if any(spec or conversion for _name, spec, conversion in fields):
        raise ValidationError(_("Write placeholders without a format, as {seq}."), code="invalid_template")
    if "seq" not in {name for name, _spec, _conv in fields}:
        raise ValidationError(_("The number template must contain {seq}, the letter's running number."),
                              code="invalid_template")


def render_number(template: str, *, seq: int, unit_code: str, classification: str, day: datetime.date) -> str:
    """The number of a letter; raises ``ValidationError`` when the template is not usable."""
    validate_number_template(template)
    values = {
        "seq": seq, "kode_jabatan": unit_code or "-", "kode_klasifikasi": classification or DEFAULT_CLASSIFICATION,
        "MM": f"{day.month:02d}", "YYYY": f"{day.year}", "YY": f"{day.year % 100:02d}", "DD": f"{day.day:02d}",
    }
    return template.format_map(values)


def number_for(institution, *, kind: str, seq: int, day: datetime.date, template: str | None = None,
               unit_code: str | None = None, classification: str | None = None) -> str:
    """The number a letter of ``kind`` gets at ``institution`` (the optional values preview a change)."""
    return render_number(
        institution.letter_number_template if template is None else template, seq=seq,
        unit_code=institution.letter_unit_code if unit_code is None else unit_code,
        classification=classification_for(institution, kind) if classification is None else classification, day=day,
    )


def number_template_validator(value: str) -> None:
    validate_number_template(value)


TEMPLATE_HELP = gettext_lazy("Placeholders: {seq} (running number, required), {kode_jabatan}, {kode_klasifikasi}, "
                             "{MM}, {YYYY}, {YY}, {DD}.")


def next_numbers(institution, *, day: datetime.date, template: str, unit_code: str, classification: str,
                 overrides: dict[str, str]) -> list[tuple[str, str]]:
    """(letter kind, number its next letter would get) under the given, not yet saved, settings;
    raises ``ValidationError`` when the template is not usable."""
    validate_number_template(template)
    out = []
    for kind in letter_kinds():
        seq = kind.next_seq(institution, day.year) if kind.next_seq else 1
        code = (overrides.get(kind.key) or classification or DEFAULT_CLASSIFICATION).strip()
        out.append((str(kind.label), render_number(template, seq=seq, unit_code=unit_code.strip(),
                                                   classification=code, day=day)))
    return out
