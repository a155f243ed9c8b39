"""Validation of the identifiers Indonesian personnel records carry."""

from __future__ import annotations

import datetime
import re
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


def _mobile_patterns():
    """Indonesian mobile numbers as phonenumbers' own metadata describes them (national number part)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("ID")
    mobile, general = metadata.mobile, metadata.general_desc
    lengths = frozenset(mobile.possible_length) & frozenset(general.possible_length)
    return (re.compile(rf"(?:0|\+62)({mobile.national_number_pattern})"),
            re.compile(f"(?:{general.national_number_pattern})"), lengths)


_MOBILE, _GENERAL, _MOBILE_LENGTHS = _mobile_patterns()
_NOT_PHONE_CHARS = re.compile(r"[^0-9+]+")


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number as +62…; accepts 0812…, 62812…, +62 812-…"""
    raw = (value or "").strip()
    if not raw:
        return ""
    if raw.isascii():
        digits = _NOT_PHONE_CHARS.sub("", raw)
    else:  # other scripts' digits too; phonenumbers reads them
        digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if digits.startswith("62"):
        digits = "+" + digits
    # The common case without phonenumbers' full parse (which a staff import of 10,000 rows felt):
    # 0… or +62… followed by a national number that the metadata calls mobile. Anything else, and
    # every refusal, goes the full way below; tests compare both ways on many numbers.
    fast = _MOBILE.fullmatch(digits) if digits.isascii() else None
    if fast is not None:
        national = fast.group(1)
        if len(national) in _MOBILE_LENGTHS and _GENERAL.fullmatch(national):
            return "+62" + national
    return _normalize_phone_slow(raw, digits)


def _normalize_phone_slow(raw: str, digits: str) -> str:
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("%(value)s is not a phone number.") % {"value": raw}, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("%(value)s is not a valid phone number.") % {"value": raw}, code="phone")
    if number.country_code != 62:
        raise ValidationError(_("%(value)s is not an Indonesian number (+62).") % {"value": raw}, code="phone_country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Kemendagri province codes, with the one time zone each province lies in.
PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("Aceh", "Asia/Jakarta"), "12": ("Sumatera Utara", "Asia/Jakarta"),
    "13": ("Sumatera Barat", "Asia/Jakarta"), "14": ("Riau", "Asia/Jakarta"), "15": ("Jambi", "Asia/Jakarta"),
    "16": ("Sumatera Selatan", "Asia/Jakarta"), "17": ("Bengkulu", "Asia/Jakarta"), "18": ("Lampung", "Asia/Jakarta"),
    "19": ("Kepulauan Bangka Belitung", "Asia/Jakarta"), "21": ("Kepulauan Riau", "Asia/Jakarta"),
    "31": ("DKI Jakarta", "Asia/Jakarta"), "32": ("Jawa Barat", "Asia/Jakarta"), "33": ("Jawa Tengah", "Asia/Jakarta"),
    "34": ("DI Yogyakarta", "Asia/Jakarta"), "35": ("Jawa Timur", "Asia/Jakarta"), "36": ("Banten", "Asia/Jakarta"),
    "51": ("Bali", "Asia/Makassar"), "52": ("Nusa Tenggara Barat", "Asia/Makassar"),
    "53": ("Nusa Tenggara Timur", "Asia/Makassar"), "61": ("Kalimantan Barat", "Asia/Jakarta"),
    "62": ("Kalimantan Tengah", "Asia/Jakarta"), "63": ("Kalimantan Selatan", "Asia/Makassar"),
    "64": ("Kalimantan Timur", "Asia/Makassar"), "65": ("Kalimantan Utara", "Asia/Makassar"),
    "71": ("Sulawesi Utara", "Asia/Makassar"), "72": ("Sulawesi Tengah", "Asia/Makassar"),
    "73": ("Sulawesi Selatan", "Asia/Makassar"), "74": ("Sulawesi Tenggara", "Asia/Makassar"),
    "75": ("Gorontalo", "Asia/Makassar"), "76": ("Sulawesi Barat", "Asia/Makassar"),
    "81": ("Maluku", "Asia/Jayapura"), "82": ("Maluku Utara", "Asia/Jayapura"), "91": ("Papua", "Asia/Jayapura"),
    "92": ("Papua Barat", "Asia/Jayapura"), "93": ("Papua Selatan", "Asia/Jayapura"),
    "94": ("Papua Tengah", "Asia/Jayapura"), "95": ("Papua Pegunungan", "Asia/Jayapura"),
    "96": ("Papua Barat Daya", "Asia/Jayapura"),
}

# First three digits of an NSM: the level of the madrasah.
NSM_LEVELS = {"101": "RA", "111": "MI", "121": "MTs", "131": "MA"}


def validate_region(province_code: str, regency_code: str, timezone_name: str) -> None:
    """Province and regency by their Kemendagri codes; the time zone must be the province's."""
    errors = {}
    if province_code and province_code not in PROVINCES:
        errors["province_code"] = _("%(code)s is not a Kemendagri province code.") % {"code": province_code}
    if regency_code:
        if len(regency_code) != 5 or regency_code[2] != "." or not (regency_code[:2] + regency_code[3:]).isdigit():
            errors["regency_code"] = _("A regency/city code looks like 16.03 (province, dot, two digits).")
        elif not province_code:
            errors["regency_code"] = _("Choose the province first.")
        elif not regency_code.startswith(province_code + "."):
            errors["regency_code"] = _("Regency/city code %(code)s does not belong to province %(province)s.") % {
                "code": regency_code, "province": province_code}
    if province_code in PROVINCES and timezone_name and PROVINCES[province_code][1] != timezone_name:
        errors["timezone"] = _("%(province)s lies in the %(zone)s time zone.") % {
            "province": PROVINCES[province_code][0],
            "zone": {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}[PROVINCES[province_code][1]]}
    if errors:
        raise ValidationError(errors)


def validate_nsm(nsm: str, *, province_code: str = "", regency_code: str = "") -> None:
    """A madrasah statistics number: level (121 = MTs), status (1 = negeri, 2 = swasta), province,
    regency and a four-digit sequence. The error says which part is wrong."""
    value = "".join(nsm.split())
    if not value.isdigit() or len(value) != 12:
        raise ValidationError(_("An NSM has exactly 12 digits."), code="nsm_length")
    if value[:3] not in NSM_LEVELS:
        raise ValidationError(
            _("Digits 1–3 of an NSM are the level (101 RA, 111 MI, 121 MTs, 131 MA); found %(part)s.")
            % {"part": value[:3]}, code="nsm_level")
    if value[3] not in "12":
        raise ValidationError(
            _("Digit 4 of an NSM is the status, 1 (negeri) or 2 (swasta); found %(digit)s.") % {"digit": value[3]},
            code="nsm_status")
    if province_code and value[4:6] != province_code:
        raise ValidationError(
            _("Digits 5–6 of an NSM are the province code; %(part)s does not match province %(province)s.")
            % {"part": value[4:6], "province": province_code}, code="nsm_province")
    if regency_code and len(regency_code) == 5 and value[6:8] != regency_code[3:]:
        raise ValidationError(
            _("Digits 7–8 of an NSM are the regency/city; %(part)s does not match %(regency)s.")
            % {"part": value[6:8], "regency": regency_code}, code="nsm_regency")
    if value[8:] == "0000":
        raise ValidationError(_("Digits 9–12 of an NSM are a sequence number and cannot be 0000."), code="nsm_sequence")
