"""Official letter numbers: ``B-{seq}/{kode_jabatan}/KP.04.2/{MM}/{YYYY}`` by default.

The sequence restarts every calendar year (in the institution's zone) and is gapless and unique
per institution and year: the next number is taken from a row locked with SELECT … FOR UPDATE
inside the transaction that creates the letter, so two letters issued at the same moment wait
for each other, and a rolled-back letter gives its number back.
"""

from __future__ import annotations

import datetime
import string

from django.db import transaction

from .models import LetterSequence

PLACEHOLDERS = {"seq", "kode_jabatan", "MM", "YYYY", "YY", "DD"}
DEFAULT_TEMPLATE = "B-{seq}/{kode_jabatan}/KP.04.2/{MM}/{YYYY}"


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render_number(template: str, *, seq: int, unit_code: str, day: datetime.date) -> str:
    values = {
        "seq": seq, "kode_jabatan": unit_code or "-", "MM": f"{day.month:02d}", "YYYY": f"{day.year}",
        "YY": f"{day.year % 100:02d}", "DD": f"{day.day:02d}",
    }
    if not template or template_fields(template) - PLACEHOLDERS or "seq" not in template_fields(template):
        template = DEFAULT_TEMPLATE
    try:
        return template.format_map(values)
    except (ValueError, KeyError, IndexError):
        return DEFAULT_TEMPLATE.format_map(values)


def next_sequence(institution, year: int) -> int:
    """Reserve the next number of ``year``; must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Letter numbers are reserved inside the transaction that issues the letter.")
    # Create the year's row if it is missing without failing when another transaction does too.
    LetterSequence.objects.bulk_create(
        [LetterSequence(institution=institution, year=year, last_seq=0)], ignore_conflicts=True
    )
    row = LetterSequence.objects.select_for_update().get(institution=institution, year=year)
    row.last_seq += 1
    row.save(update_fields=["last_seq"])
    return row.last_seq
