import pytest
from django.core.exceptions import ValidationError

from members.validators import normalize_phone, parse_nip, validate_nsm, validate_region


def test_a_valid_nip_gives_birth_date_sex_and_appointment():
    parts = parse_nip("19800517 200503 2 007")
    assert str(parts.birth_date) == "1980-05-17"
    assert parts.sex == "P" and parts.appointed == (2005, 3) and parts.sequence == 7


@pytest.mark.parametrize("nip, fragment", [
    ("1980051720050320", "18 angka; yang ini 16"),
    ("19800517200503200A", "hanya berisi angka"),
    ("19801317200503 2007", "ke-1 sampai ke-8"),
    ("19800517200513 2007", "bulan 13 yang tidak ada"),
    ("19800517199003 2007", "tidak sesuai dengan tanggal lahir"),
    ("19800517200503 3007", "Angka ke-15"),
    ("19800517200503 2000", "ke-16 sampai ke-18"),
])
def test_each_wrong_part_of_a_nip_is_named_in_indonesian(nip, fragment):
    with pytest.raises(ValidationError) as error:
        parse_nip(nip)
    assert fragment in error.value.messages[0]


@pytest.mark.parametrize("raw", ["081234567890", "6281234567890", "+62 812-3456-7890", "0812 3456 7890"])
def test_phone_numbers_are_normalised_to_plus_62(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["0812", "12345", "nomor saya", "+1 202 555 0100x"])
def test_invalid_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def _full_parse(raw):
    """normalize_phone's answer the long way, through phonenumbers alone."""
    import phonenumbers

    digits = "".join(ch for ch in raw.strip() if ch.isdigit() or ch == "+")
    if digits.startswith("62"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        return "refused"
    if not phonenumbers.is_valid_number(number) or number.country_code != 62:
        return "refused"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_the_quick_way_for_mobile_numbers_agrees_with_phonenumbers():
    import random

    rng = random.Random(17)
    seps = ["", " ", "-", ".", " - "]
    cases = []
    for _ in range(4000):
        prefix = rng.choice(["0", "62", "+62", "+62 0", "0062", "8", "+1 "])
        body = rng.choice("0123456789") + "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 13)))
        if rng.random() < 0.7:
            body = "8" + body[1:]
        sep = rng.choice(seps)
        cases.append(prefix + sep.join(body[i:i + 4] for i in range(0, len(body), 4)))
    cases += ["081234567890", "0812345678", "08123456789012", "+62 21 1234567", "0811-1234-567", "٠٨١٢٣٤٥٦٧٨٩٠"]
    quick_ones = 0
    for raw in cases:
        try:
            got = normalize_phone(raw)
        except ValidationError:
            got = "refused"
        assert got == _full_parse(raw), raw
        quick_ones += got != "refused"
    assert quick_ones > 800  # the comparison covered many accepted numbers, not only refusals


def test_empty_phone_stays_empty():
    assert normalize_phone("  ") == ""


def test_nsm_parts():
    validate_nsm("121116030001", province_code="16", regency_code="16.03")
    for nsm, code in [("12111603000", "nsm_length"), ("991116030001", "nsm_level"), ("121316030001", "nsm_status"),
                      ("121113030001", "nsm_province"), ("121116040001", "nsm_regency"), ("121116030000", "nsm_sequence")]:
        with pytest.raises(ValidationError) as error:
            validate_nsm(nsm, province_code="16", regency_code="16.03")
        assert error.value.code == code, nsm


def test_region_codes_and_time_zone_must_agree():
    validate_region("63", "63.72", "Asia/Makassar")
    with pytest.raises(ValidationError) as error:
        validate_region("63", "63.72", "Asia/Jakarta")
    assert "timezone" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        validate_region("16", "63.72", "Asia/Jakarta")
    assert "regency_code" in error.value.message_dict
    with pytest.raises(ValidationError):
        validate_region("99", "", "Asia/Jakarta")
