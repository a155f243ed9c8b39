"""Official letter numbers: ``B-{seq}/{kode_jabatan}/{kode_klasifikasi}/{MM}/{YYYY}`` by default.

The template, the unit code and the classification code per letter kind are the institution's
settings; ``governance.numbering`` checks the template and makes the number (an unusable template is
refused, never replaced by the default). This module registers the warning letter's kind and keeps
the sequence.

The sequence restarts every calendar year (in the institution's zone) and is gapless and unique
per institution and year: the next number is taken from a row locked with SELECT … FOR UPDATE
inside the transaction that creates the letter, so two letters issued at the same moment wait
for each other, and a rolled-back letter gives its number back.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from governance.numbering import number_for, register_letter_kind

from .models import LetterSequence

WARNING_LETTER = "sanctions.warning_letter"


def register() -> None:
    register_letter_kind(WARNING_LETTER, _("Warning letter"), next_seq=peek_sequence)


def peek_sequence(institution, year: int) -> int:
    """The number the next letter of ``year`` would get (for a preview; reserves nothing)."""
    row = LetterSequence.objects.filter(institution=institution, year=year).first()
    return (row.last_seq if row else 0) + 1


def warning_letter_number(institution, *, seq: int, day: datetime.date) -> str:
    """Raises ``ValidationError`` when the institution's number template cannot be used."""
    return number_for(institution, kind=WARNING_LETTER, seq=seq, day=day)


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
