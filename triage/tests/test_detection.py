"""Recognising the header format and the date order, and overriding it when the file cannot tell."""

import datetime as dt

import pytest

from triage.chat import AmbiguousDateOrder, MixedFormats, WrongDateOrder, detect, parse
from triage.chat import parser as parser_module
from triage.chat.formats import FormatSpec
from triage.tests.generate import make_entries, to_bytes

SPEC = FormatSpec("android", "dmy", "/", 2, 24, ".", False, False)


@pytest.mark.parametrize("first_line, name, details", [
    ("15/01/24 10.00 - A: x", "android-24h-dmy", "android-24h-dmy dd/mm/yy HH.MM"),
    ("15/01/2024, 10:00 - A: x", "android-24h-dmy", "android-24h-dmy dd/mm/yyyy, HH:MM"),
    ("15.01.24, 10:00 - A: x", "android-24h-dmy", "android-24h-dmy dd.mm.yy, HH:MM"),
    ("15-01-2024, 10:00 - A: x", "android-24h-dmy", "android-24h-dmy dd-mm-yyyy, HH:MM"),
    ("1/15/24, 10:00 AM - A: x", "android-12h-mdy", "android-12h-mdy mm/dd/yy, HH:MM AM"),
    ("1/15/24, 10:00 a.m. - A: x", "android-12h-mdy", "android-12h-mdy mm/dd/yy, HH:MM AM"),
    ("[15/01/24 10.00.00] A: x", "ios-24h-dmy", "ios-24h-dmy dd/mm/yy HH.MM.SS"),
    ("\u200e[1/15/24, 10:00:00\u202fPM] A: x", "ios-12h-mdy", "ios-12h-mdy mm/dd/yy, HH:MM:SS AM"),
    ("[2024-01-15, 10:00:00] A: x", "ios-24h-ymd", "ios-24h-ymd yyyy-mm-dd, HH:MM:SS"),
])
def test_the_format_is_read_from_the_first_line(first_line, name, details):
    spec = detect((first_line + "\n").encode())
    assert (spec.name, spec.details) == (name, details)


def test_day_first_is_recognised_from_a_later_date():
    text = "05/01/24 10.00 - A: x\n09/01/24 10.00 - A: y\n13/01/24 10.00 - A: z\n"
    assert detect(text.encode()).order == "dmy"
    text = "01/05/24 10.00 - A: x\n01/09/24 10.00 - A: y\n01/13/24 10.00 - A: z\n"
    assert detect(text.encode()).order == "mdy"


def test_chronological_order_decides_when_no_number_exceeds_twelve():
    # read day-first: 10 Jan, 11 Jan, 1 Feb (forwards); month-first: 1 Oct, 1 Nov, 2 Jan (backwards)
    text = "10/01/24 10.00 - A: x\n11/01/24 10.00 - A: y\n01/02/24 10.00 - A: z\n"
    assert detect(text.encode()).order == "dmy"
    text = "01/10/24 10.00 - A: x\n01/11/24 10.00 - A: y\n02/01/24 10.00 - A: z\n"
    assert detect(text.encode()).order == "mdy"


def test_an_ambiguous_file_says_so_and_accepts_an_override(indonesian):
    text = b"02/03/24 10.00 - A: x\n02/03/24 11.00 - B: y\n"
    with pytest.raises(AmbiguousDateOrder) as caught:
        parse(text, "Asia/Jakarta")
    assert {spec.name for spec in caught.value.candidates} == {"android-24h-dmy", "android-24h-mdy"}
    assert "02/03/24" in str(caught.value) and "urutan tanggal" in str(caught.value)
    assert caught.value.code == "chat_ambiguous_dates"
    day_first = parse(text, "Asia/Jakarta", date_order="dmy").read_all()
    month_first = parse(text, "Asia/Jakarta", date_order="mdy").read_all()
    assert day_first[0].sent_at.date() == dt.date(2024, 3, 2)
    assert month_first[0].sent_at.date() == dt.date(2024, 2, 3)


def test_the_example_of_an_ambiguous_file_is_one_of_its_dates():
    with pytest.raises(AmbiguousDateOrder) as caught:
        parse(b"\n05/05/24 10.00 - A: x\n", "Asia/Jakarta")
    assert caught.value.params == {"example": "05/05/24"}


def test_an_override_that_contradicts_the_dates_is_refused():
    with pytest.raises(WrongDateOrder):
        parse(b"15/01/24 10.00 - A: x\n", "Asia/Jakarta", date_order="mdy")


def test_detection_beyond_the_read_ahead_buffer_reads_the_file_again(monkeypatch):
    monkeypatch.setattr(parser_module, "DETECT_BUFFER_LINES", 5)
    chat = make_entries(200, seed=2, start=dt.datetime(2024, 1, 1, 8, 0), max_gap_seconds=20000)
    result = parse(to_bytes(SPEC, chat), "Asia/Jakarta")
    got = result.read_all()
    assert result.date_order == "dmy" and len(got) == 200
    assert got[0].sent_at.date() == dt.date(2024, 1, 1) and got[-1].sent_at.day > 13


def test_a_file_pieced_together_from_two_formats_is_refused(indonesian):
    android = "".join(f"15/01/24 10.{i:02d} - A: pesan {i}\n" for i in range(10))
    ios = "".join(f"[15/01/24 11.{i:02d}.00] B: pesan {i}\n" for i in range(10))
    with pytest.raises(MixedFormats) as caught:
        parse((android + ios).encode(), "Asia/Jakarta").read_all()
    assert "10 baris" in str(caught.value)


def test_a_few_pasted_lines_of_another_format_are_not_mixed_formats():
    android = "".join(f"15/01/24 10.{i:02d} - A: pesan {i}\n" for i in range(30))
    pasted = "15/01/24 10.30 - A: diteruskan:\n" + "".join(f"[14/01/24 09.{i:02d}] C: {i}\n" for i in range(4))
    got = parse((android + pasted).encode(), "Asia/Jakarta").read_all()
    assert len(got) == 31 and got[-1].text.count("\n") == 4
