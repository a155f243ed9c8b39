"""Validation of the identifiers Indonesian personnel records carry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NipParts:
    birth_date: datetime.date
    appointed: tuple[int, int]  # (year, month)
    sex: str  # "L" or "P"
    sequence: int


def parse_nip(value: str) -> NipParts:
    """Check an 18-digit NIP (yyyymmdd birth date, yyyymm appointment, sex 1/2, 3-digit sequence)
    and return its parts. The error says which part is wrong."""
    nip = "".join(value.split())
    if not nip.isdigit():
        raise ValidationError(_("A NIP contains digits only."), code="nip_digits")
    if len(nip) != 18:
        raise ValidationError(
            _("A NIP has 18 digits; this one has %(count)d.") % {"count": len(nip)}, code="nip_length"
        )
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("Digits 1–8 of a NIP are the birth date (yyyymmdd); %(part)s is not a date.") % {"part": nip[0:8]},
            code="nip_birth_date",
        ) from None
    if not 1940 <= birth.year <= datetime.date.today().year - 15:
        raise ValidationError(
            _("Digits 1–8 of a NIP are the birth date; the year %(year)d is not plausible.") % {"year": birth.year},
            code="nip_birth_date",
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 9–14 of a NIP are the appointment month (yyyymm); %(part)s has no month %(month)02d.")
            % {"part": nip[8:14], "month": month},
            code="nip_appointment",
        )
    if year < birth.year + 15 or year > datetime.date.today().year + 1:
        raise ValidationError(
            _("Digits 9–14 of a NIP are the appointment (yyyymm); %(part)s does not fit the birth date.")
            % {"part": nip[8:14]},
            code="nip_appointment",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Digit 15 of a NIP is the sex code, 1 (male) or 2 (female); found %(digit)s.") % {"digit": nip[14]},
            code="nip_sex",
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise ValidationError(_("Digits 16–18 of a NIP are a sequence number and cannot be 000."), code="nip_sequence")
    return NipParts(birth, (year, month), "L" if nip[14] == "1" else "P", sequence)


def validate_nip(value: str) -> None:
    if value:
        parse_nip(value)


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number as +62…; accepts 0812…, 62812…, +62 812-…"""
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if digits.startswith("62"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("%(value)s is not a phone number.") % {"value": raw}, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("%(value)s is not a valid phone number.") % {"value": raw}, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
